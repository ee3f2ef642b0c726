package com.databox.cmk.sweep;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Instant;

/** The identities the service assigned to the function app for orders (one registration each). */
public interface IdentityRegistry {
    /** Registers the identity, or renews its registration (a new time and version). */
    void register(UserAssignedIdentityId id, RegisteredIdentity.Origin origin, Instant at);

    /** Every registration, read page by page. */
    Iterable<RegisteredIdentity> all();

    /** Forgets the registration only if it is still at {@code registration.version()}; false otherwise. */
    boolean forget(RegisteredIdentity registration);
}
