package com.databox.cmk.order;

/**
 * The order's system-assigned identity. {@code resourceId} names the managed identity that
 * backs it in the directory (how the service gets its tokens); it is not shown to callers.
 */
public record SystemAssignedIdentity(String principalId, String tenantId, String resourceId) {}
