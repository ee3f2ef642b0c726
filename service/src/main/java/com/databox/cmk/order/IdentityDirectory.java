package com.databox.cmk.order;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;

/** The directory of managed identities (Microsoft Entra ID through ARM, locally the emulator). */
public interface IdentityDirectory extends UserAssignedIdentities {
    /** Creates the managed identity that serves as this order's system-assigned identity. */
    default SystemAssignedIdentity createSystemAssigned(OrderName order) {
        return createSystemAssigned(order, newSystemAssignedId(order));
    }

    /** The resource ID a new system-assigned identity of this order gets: one no identity has had. */
    UserAssignedIdentityId newSystemAssignedId(OrderName order);

    /** Creates the managed identity {@code id} ({@link #newSystemAssignedId}) as this order's system-assigned one. */
    SystemAssignedIdentity createSystemAssigned(OrderName order, UserAssignedIdentityId id);

    /** Deletes it, as ARM does when an identity type drops {@code SystemAssigned}. */
    void deleteSystemAssigned(SystemAssignedIdentity identity);

    /**
     * Lets the service get tokens as a user-assigned identity attached to an order. On Azure the
     * platform's identity endpoint mints tokens only for identities assigned to the function app.
     */
    void makeUsable(UserAssignedIdentity identity);
}
