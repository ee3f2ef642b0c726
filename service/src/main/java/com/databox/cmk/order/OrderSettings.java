package com.databox.cmk.order;

import com.databox.cmk.unlockkey.KeyUrl;

/**
 * @param microsoftKey the service's own key (the Microsoft-managed key), versioned or not
 * @param userAssignedIdentityLimit how many user-assigned identities one order may have
 * @param systemAssigned how many system-assigned identities one tenant's orders may hold
 */
public record OrderSettings(KeyUrl microsoftKey, int userAssignedIdentityLimit, SystemAssignedLimit systemAssigned) {}
