package com.databox.cmk.order;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Optional;

/** Looking up user-assigned identities: all that checking a key's identity needs of the directory. */
public interface UserAssignedIdentities {
    /** The user-assigned identity with this resource ID, or empty when the directory has none. */
    Optional<UserAssignedIdentity> findUserAssigned(UserAssignedIdentityId resourceId);
}
