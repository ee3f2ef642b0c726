package com.databox.cmk.emulator.keyvault;

/** What the admin API answers for a vault. */
public record VaultInfo(String vaultUrl, String resourceId, String recoveryLevel, String tenantId, int port) {}
