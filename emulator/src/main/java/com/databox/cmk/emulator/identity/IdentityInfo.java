package com.databox.cmk.emulator.identity;

/** A managed identity as the admin API shows it; {@code resourceId} is null for the app's own identity. */
public record IdentityInfo(String name, String resourceId, String principalId, String clientId, String tenantId) {}
