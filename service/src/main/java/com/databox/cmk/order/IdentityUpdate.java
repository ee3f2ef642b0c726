package com.databox.cmk.order;

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
    public IdentityUpdate {
        attach = Set.copyOf(attach);
        detach = Set.copyOf(detach);
    }

    public static final IdentityUpdate NONE = new IdentityUpdate(false, false, Set.of(), Set.of());
}
