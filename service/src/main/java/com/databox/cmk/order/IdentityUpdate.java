package com.databox.cmk.order;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Set;

/**
 * A requested order identity: which types it has, and which user-assigned identities to
 * attach or detach (by resource ID), as an ARM PATCH of {@code identity} says it.
 */
public record IdentityUpdate(
        boolean systemAssigned,
        boolean userAssigned,
        Set<UserAssignedIdentityId> attach,
        Set<UserAssignedIdentityId> detach) {
    /**
     * @throws ServiceException an identity both to attach and to detach: resource IDs compare in any case, as
     *     ARM's, so {@code {"…/uai-1": {}, "…/UAI-1": null}} names one identity twice with contradictory
     *     instructions (since 2026-12-06: the attach won)
     */
    public IdentityUpdate {
        attach = Set.copyOf(attach);
        detach = Set.copyOf(detach);
        for (UserAssignedIdentityId id : attach) {
            if (detach.contains(id)) {
                throw ServiceException.invalidRequest(
                        "The user-assigned identity " + id
                                + " is named twice in 'userAssignedIdentities', to attach and to detach (resource IDs"
                                + " compare in any case).",
                        "identity.userAssignedIdentities");
            }
        }
    }

    public static final IdentityUpdate NONE = new IdentityUpdate(false, false, Set.of(), Set.of());
}
