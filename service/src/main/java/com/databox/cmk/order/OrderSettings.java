package com.databox.cmk.order;

/**
 * @param microsoftKeyUrl the service's own key (the Microsoft-managed key), versioned or not
 * @param userAssignedIdentityLimit how many user-assigned identities one order may have
 */
public record OrderSettings(String microsoftKeyUrl, int userAssignedIdentityLimit) {}
