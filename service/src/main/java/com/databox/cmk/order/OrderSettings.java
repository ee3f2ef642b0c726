package com.databox.cmk.order;

/**
 * @param microsoftKeyUrl the service's own key (the Microsoft-managed key), versioned or not
 * @param userAssignedIdentityLimit how many user-assigned identities one order may have
 * @param systemAssignedIdentityLimit how many of a tenant's active orders may hold a system-assigned identity:
 *     each is an identity the service makes in its own subscription and directory, whose quotas every tenant
 *     shares
 */
public record OrderSettings(String microsoftKeyUrl, int userAssignedIdentityLimit, int systemAssignedIdentityLimit) {}
