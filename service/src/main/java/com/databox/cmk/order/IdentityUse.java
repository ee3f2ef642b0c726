package com.databox.cmk.order;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;

/**
 * Whether a caller may have the service use a user-assigned identity for an order: the check ARM
 * makes for {@code Microsoft.ManagedIdentity/userAssignedIdentities/assign/action} on the
 * identity, made for the caller, never with the service's own rights (issue 12).
 */
public interface IdentityUse {
    /** Whether {@code caller} itself holds the assign action on the identity {@code id}. */
    boolean mayAssign(Caller caller, UserAssignedIdentityId id);

    /** Allows everything: for tests of other rules only. */
    IdentityUse ANYONE = (caller, id) -> true;
}
