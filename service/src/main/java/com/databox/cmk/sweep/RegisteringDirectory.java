package com.databox.cmk.sweep;

import com.databox.cmk.order.IdentityDirectory;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Clock;
import java.util.Optional;

/**
 * The identity directory that registers every identity it assigns to the function app for an
 * order before assigning it (a customer's) or making it (the service's own for an order), so
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

    /**
     * Registered before it is made: when ARM's answer is lost (a timeout, ARM answering after the request
     * gave up), the identity may still be made, and the sweep deletes it once no order holds it.
     */
    @Override
    public SystemAssignedIdentity createSystemAssigned(OrderName order, UserAssignedIdentityId id) {
        registry.register(id, RegisteredIdentity.Origin.SERVICE_CREATED, clock.instant());
        return directory.createSystemAssigned(order, id);
    }

    @Override
    public UserAssignedIdentityId newSystemAssignedId(OrderName order) {
        return directory.newSystemAssignedId(order);
    }

    @Override
    public void deleteSystemAssigned(SystemAssignedIdentity identity) {
        directory.deleteSystemAssigned(identity);
    }

    @Override
    public void makeUsable(UserAssignedIdentity identity) {
        registry.register(identity.resourceId(), RegisteredIdentity.Origin.CUSTOMER, clock.instant());
        directory.makeUsable(identity);
    }

    @Override
    public Optional<UserAssignedIdentity> findUserAssigned(UserAssignedIdentityId id) {
        return directory.findUserAssigned(id);
    }
}
