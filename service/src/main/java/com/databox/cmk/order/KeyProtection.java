package com.databox.cmk.order;

import com.databox.cmk.unlockkey.KeyUrl;

/** What protects the device unlock key: the service's own key, or the customer's. */
public sealed interface KeyProtection {
    KeyProtection MICROSOFT_MANAGED = new MicrosoftManaged();

    record MicrosoftManaged() implements KeyProtection {
        @Override
        public String kekType() {
            return "MicrosoftManaged";
        }
    }

    /**
     * @param keyUrl the exact key version that wraps the unlock key now
     * @param vault the vault's resource ID as the caller gave it; null when not given
     * @param autoRotation the caller gave a versionless URL, so the audit moves the order to newer versions
     */
    record CustomerManaged(KeyUrl keyUrl, VaultResourceId vault, KeyIdentity keyIdentity, boolean autoRotation)
            implements KeyProtection {
        @Override
        public String kekType() {
            return "CustomerManaged";
        }

        /** The URL to ask for the newest version with. */
        public KeyUrl versionless() {
            return keyUrl.withVersion(null);
        }

        /** The same key version, and newer versions followed as the audit finds them. */
        public CustomerManaged followingNewVersions() {
            return new CustomerManaged(keyUrl, vault, keyIdentity, true);
        }
    }

    /** {@code MicrosoftManaged} or {@code CustomerManaged}, as {@code kekType} says it. */
    String kekType();
}
