package com.databox.cmk.order;

/** A user-assigned managed identity attached to an order, resolved from its ARM resource ID. */
public record UserAssignedIdentity(String resourceId, String principalId, String clientId, String tenantId) {}
