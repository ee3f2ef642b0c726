package com.databox.cmk.emulator.keyvault;

import java.util.Locale;

/**
 * A vault's ARM-level settings. {@code sku} is {@code standard} or {@code premium}: a premium vault also
 * creates HSM-protected keys (RSA-HSM, EC-HSM).
 */
public record VaultSettings(
        String tenantId, boolean softDelete, boolean purgeProtection, int retentionDays, boolean firewall, String sku) {

    public static final int DEFAULT_RETENTION_DAYS = 90;
    public static final String STANDARD = "standard";
    public static final String PREMIUM = "premium";

    public VaultSettings {
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("tenantId is required");
        }
        if (retentionDays < 7 || retentionDays > 90) {
            throw new IllegalArgumentException("retentionDays must be between 7 and 90, was " + retentionDays);
        }
        if (purgeProtection && !softDelete) {
            throw new IllegalArgumentException("purgeProtection requires softDelete");
        }
        sku = sku == null ? STANDARD : sku.toLowerCase(Locale.ROOT);
        if (!sku.equals(STANDARD) && !sku.equals(PREMIUM)) {
            throw new IllegalArgumentException("sku must be standard or premium, was " + sku);
        }
    }

    public VaultSettings(
            String tenantId, boolean softDelete, boolean purgeProtection, int retentionDays, boolean firewall) {
        this(tenantId, softDelete, purgeProtection, retentionDays, firewall, STANDARD);
    }

    /**
     * Key Vault's {@code recoveryLevel} for keys in this vault: {@code Customized…} when deleted keys are
     * kept less than the default 90 days, as Key Vault answers then.
     */
    public String recoveryLevel() {
        if (!softDelete) {
            return "Purgeable";
        }
        String recoverable = retentionDays < 90 ? "CustomizedRecoverable" : "Recoverable";
        return purgeProtection ? recoverable : recoverable + "+Purgeable";
    }

    public int recoverableDays() {
        return softDelete ? retentionDays : 0;
    }

    public VaultSettings withTenant(String newTenant) {
        return new VaultSettings(newTenant, softDelete, purgeProtection, retentionDays, firewall, sku);
    }
}
