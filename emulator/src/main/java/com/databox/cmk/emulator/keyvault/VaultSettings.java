package com.databox.cmk.emulator.keyvault;

/** A vault's ARM-level settings. */
public record VaultSettings(String tenantId, boolean softDelete, boolean purgeProtection, int retentionDays, boolean firewall) {

    public static final int DEFAULT_RETENTION_DAYS = 90;

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
    }

    /** Key Vault's {@code recoveryLevel} for keys in this vault. */
    String recoveryLevel() {
        if (!softDelete) {
            return "Purgeable";
        }
        return purgeProtection ? "Recoverable" : "Recoverable+Purgeable";
    }

    public int recoverableDays() {
        return softDelete ? retentionDays : 0;
    }

    public VaultSettings withTenant(String newTenant) {
        return new VaultSettings(newTenant, softDelete, purgeProtection, retentionDays, firewall);
    }
}
