package com.databox.cmk.sweep;

import com.databox.cmk.order.IdentityDirectory;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentityId;
import java.time.Clock;
import java.util.Optional;

/**
 * The identity directory that registers every identity it assigns to the function app for an
 * order, before assigning it (a customer's) or once made (the service's own for an order), so
 * that the {@link IdentitySweep} can let it go when no order holds it any more.
 */
public final class RegisteringDirectory implements IdentityDirectory {
    private final IdentityDirectory directory;
    private final IdentityRegistry registry;
    private final Clock clock;

    public RegisteringDirectory(IdentityDirectory directory, IdentityRegistry registry, Clock clock) {
        this.directory = directory;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public SystemAssignedIdentity createSystemAssigned(OrderName order) {
        SystemAssignedIdentity identity = directory.createSystemAssigned(order);
        try {
            registry.register(
                    new UserAssignedIdentityId(identity.resourceId()),
                    RegisteredIdentity.Origin.SERVICE_CREATED,
                    clock.instant());
        } catch (RuntimeException e) {
            try {
                directory.deleteSystemAssigned(identity);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return identity;
    }

    @Override
    public void deleteSystemAssigned(SystemAssignedIdentity identity) {
        directory.deleteSystemAssigned(identity);
    }

    @Override
    public void makeUsable(UserAssignedIdentity identity) {
        registry.register(
                new UserAssignedIdentityId(identity.resourceId()), RegisteredIdentity.Origin.CUSTOMER, clock.instant());
        directory.makeUsable(identity);
    }

    @Override
    public Optional<UserAssignedIdentity> findUserAssigned(String resourceId) {
        return directory.findUserAssigned(resourceId);
    }
}
