package com.databox.cmk.order;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;

/**
 * A user-assigned managed identity attached to an order, resolved from its ARM resource ID (in the spelling it was
 * looked up by, which the order's stored row and answers keep).
 * {@code serviceCreated}: the service made it as some order's system-assigned identity (tagged
 * {@code databox-order}); such an identity is never attached as a user-assigned one (issue 12).
 */
public record UserAssignedIdentity(
        UserAssignedIdentityId resourceId,
        String principalId,
        String clientId,
        String tenantId,
        boolean serviceCreated) {

    public UserAssignedIdentity(
            UserAssignedIdentityId resourceId, String principalId, String clientId, String tenantId) {
        this(resourceId, principalId, clientId, tenantId, false);
    }
}
