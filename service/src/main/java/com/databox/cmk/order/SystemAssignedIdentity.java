package com.databox.cmk.order;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;

/**
 * The order's system-assigned identity. {@code resourceId} names the managed identity that backs it in the
 * directory (how the service gets its tokens): a user-assigned identity the service made in its own resource group,
 * tagged {@code databox-order} ({@link IdentityDirectory#createSystemAssigned}). It is not shown to callers.
 */
public record SystemAssignedIdentity(String principalId, String tenantId, UserAssignedIdentityId resourceId) {}
