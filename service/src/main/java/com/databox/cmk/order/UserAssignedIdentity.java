package com.databox.cmk.order;

/**
 * A user-assigned managed identity attached to an order, resolved from its ARM resource ID.
 * {@code serviceCreated}: the service made it as some order's system-assigned identity (tagged
 * {@code databox-order}); such an identity is never attached as a user-assigned one (issue 12).
 */
public record UserAssignedIdentity(
        String resourceId, String principalId, String clientId, String tenantId, boolean serviceCreated) {

    public UserAssignedIdentity(String resourceId, String principalId, String clientId, String tenantId) {
        this(resourceId, principalId, clientId, tenantId, false);
    }
}
