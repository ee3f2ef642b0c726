package com.databox.cmk.sweep;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Set;

/** The user-assigned identities assigned to the function app, in ARM. */
public interface AppIdentities {
    Set<UserAssignedIdentityId> assigned();

    /** @return false when the identity does not exist (its owner deleted it): nothing to assign */
    boolean assign(UserAssignedIdentityId id);

    void unassign(UserAssignedIdentityId id);

    /** Deletes an identity the service made (idempotent: a missing one is not an error). */
    void delete(UserAssignedIdentityId id);
}
