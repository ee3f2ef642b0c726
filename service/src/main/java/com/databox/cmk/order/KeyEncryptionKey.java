package com.databox.cmk.order;

/**
 * What protects the device unlock key. For {@link KekType#MicrosoftManaged} only the type is
 * set; for {@link KekType#CustomerManaged}, {@code kekUrl} names the exact key version.
 */
public record KeyEncryptionKey(
        KekType kekType, String kekUrl, String kekVaultResourceId, KekIdentity identity, boolean autoRotation) {

    public enum KekType { MicrosoftManaged, CustomerManaged }

    public static final KeyEncryptionKey MICROSOFT_MANAGED =
            new KeyEncryptionKey(KekType.MicrosoftManaged, null, null, null, false);

    public boolean isCustomerManaged() {
        return kekType == KekType.CustomerManaged;
    }
}
