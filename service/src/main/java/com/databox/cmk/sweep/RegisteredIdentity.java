package com.databox.cmk.sweep;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Instant;

/**
 * An identity the service assigned to the function app for orders, as registered.
 *
 * @param version the registration's store version: forgetting it is conditional on it, so a
 *     registration renewed meanwhile (an order attaching the identity again) is never forgotten
 */
public record RegisteredIdentity(UserAssignedIdentityId id, Origin origin, Instant registeredAt, String version) {
    public enum Origin {
        /** The customer's user-assigned identity, attached to an order. */
        CUSTOMER,
        /** An identity the service made as an order's system-assigned identity; the sweep may delete it. */
        SERVICE_CREATED
    }
}
