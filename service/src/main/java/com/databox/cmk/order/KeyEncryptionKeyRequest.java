package com.databox.cmk.order;

import com.databox.cmk.unlockkey.KeyUrl;

/**
 * A requested customer-managed key: its URL (versioned or not), vault and the identity to reach it.
 * The URL is read once, with the request; one that is no key URL is refused when the operation checks it, because
 * it is a finding of {@code validate} (a report), not a refused request.
 *
 * @param followsNewVersions the order follows the key's new versions from the version the URL names, as an
 *     answer's {@code kekUrl} with {@code autoRotation: true} says; a versionless URL follows them anyway
 */
public record KeyEncryptionKeyRequest(
        RequestedKeyUrl kekUrl, VaultResourceId vault, KeyIdentity identity, boolean followsNewVersions) {

    public KeyEncryptionKeyRequest(RequestedKeyUrl kekUrl, VaultResourceId vault, KeyIdentity identity) {
        this(kekUrl, vault, identity, false);
    }

    /** A key the service names itself. */
    public KeyEncryptionKeyRequest(KeyUrl kekUrl, VaultResourceId vault, KeyIdentity identity) {
        this(RequestedKeyUrl.of(kekUrl), vault, identity, false);
    }

    /**
     * The protection this request asks for once {@code wrappingVersion} wraps the unlock key, {@code requested}
     * being its URL as parsed: a versionless URL follows the key's new versions, and so does a version with the
     * answer's {@code autoRotation}, from that version.
     */
    public KeyProtection.CustomerManaged protectionBy(KeyUrl requested, KeyUrl wrappingVersion) {
        return new KeyProtection.CustomerManaged(
                wrappingVersion, vault, identity, !requested.isVersioned() || followsNewVersions);
    }
}
