package com.databox.cmk.order;

/**
 * A requested customer-managed key: its URL (versioned or not), vault and the identity to reach it.
 * The URL stays text until the operation checks it, because a malformed one is a finding of
 * {@code validate} (a report), not a refused request.
 *
 * @param followsNewVersions the order follows the key's new versions from the version the URL names, as an
 *     answer's {@code kekUrl} with {@code autoRotation: true} says; a versionless URL follows them anyway
 */
public record KeyEncryptionKeyRequest(
        String kekUrl, VaultResourceId vault, KeyIdentity identity, boolean followsNewVersions) {

    public KeyEncryptionKeyRequest(String kekUrl, VaultResourceId vault, KeyIdentity identity) {
        this(kekUrl, vault, identity, false);
    }
}
