package com.databox.cmk.order;

/**
 * What a caller gives to create an order; {@code identity} may be null (no identity).
 * {@code keyEncryptionKey} null is the Microsoft-managed key; {@code namesMicrosoftManagedKey} says that the caller
 * named it, which a replacement of an order on a customer-managed key must not take as nothing asked.
 * {@code devicePassword} is the customer's own device password (ASCII), or null to have one
 * generated; it is only ever stored wrapped and never printed.
 */
public record NewOrder(
        String location,
        IdentityUpdate identity,
        KeyEncryptionKeyRequest keyEncryptionKey,
        boolean namesMicrosoftManagedKey,
        char[] devicePassword) {

    public NewOrder(
            String location, IdentityUpdate identity, KeyEncryptionKeyRequest keyEncryptionKey, char[] devicePassword) {
        this(location, identity, keyEncryptionKey, false, devicePassword);
    }

    public NewOrder(String location, IdentityUpdate identity, KeyEncryptionKeyRequest keyEncryptionKey) {
        this(location, identity, keyEncryptionKey, false, null);
    }

    @Override
    public String toString() {
        return "NewOrder[location=" + location + ", identity=" + identity + ", keyEncryptionKey=" + keyEncryptionKey
                + ", devicePassword=" + (devicePassword == null ? "generated" : "<redacted>") + "]";
    }
}
