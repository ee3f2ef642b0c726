package com.databox.cmk.order;

import java.util.Optional;

/** The directory of managed identities (Microsoft Entra ID through ARM, locally the emulator). */
public interface IdentityDirectory {
    /** Creates the managed identity that serves as this order's system-assigned identity. */
    SystemAssignedIdentity createSystemAssigned(OrderName order);

    /** Deletes it, as ARM does when an identity type drops {@code SystemAssigned}. */
    void deleteSystemAssigned(SystemAssignedIdentity identity);

    /** The user-assigned identity with this resource ID, or empty when the directory has none. */
    Optional<UserAssignedIdentity> findUserAssigned(String resourceId);

    /**
     * Lets the service get tokens as a user-assigned identity attached to an order. On Azure the
     * platform's identity endpoint mints tokens only for identities assigned to the function app.
     */
    void makeUsable(UserAssignedIdentity identity);
}
