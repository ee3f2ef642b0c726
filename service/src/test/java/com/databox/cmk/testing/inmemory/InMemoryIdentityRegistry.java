package com.databox.cmk.testing.inmemory;

import com.databox.cmk.sweep.IdentityRegistry;
import com.databox.cmk.sweep.RegisteredIdentity;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Registrations in memory, each with a new version when renewed, forgotten only at the version read. */
public final class InMemoryIdentityRegistry implements IdentityRegistry {
    private final Map<UserAssignedIdentityId, RegisteredIdentity> registrations = new ConcurrentHashMap<>();

    @Override
    public void register(UserAssignedIdentityId id, RegisteredIdentity.Origin origin, Instant at) {
        registrations.put(
                id, new RegisteredIdentity(id, origin, at, UUID.randomUUID().toString()));
    }

    @Override
    public Iterable<RegisteredIdentity> all() {
        return List.copyOf(registrations.values());
    }

    @Override
    public boolean forget(RegisteredIdentity registration) {
        return registrations.remove(registration.id(), registration) || !registrations.containsKey(registration.id());
    }

    public Optional<RegisteredIdentity> find(UserAssignedIdentityId id) {
        return Optional.ofNullable(registrations.get(id));
    }
}
