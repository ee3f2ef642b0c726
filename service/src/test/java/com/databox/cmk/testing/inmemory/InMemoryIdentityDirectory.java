package com.databox.cmk.testing.inmemory;

import com.databox.cmk.order.IdentityDirectory;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.sweep.AppIdentities;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Managed identities in memory: what ARM holds, and which identities the function app may use. */
public final class InMemoryIdentityDirectory implements IdentityDirectory, AppIdentities {
    public static final String SUBSCRIPTION = "d47ab0c5-0000-4000-8000-00000000da7a";
    public static final String TENANT = "72f988bf-0000-4000-8000-000000000001";

    private final Map<String, UserAssignedIdentity> identities = new ConcurrentHashMap<>();
    private final Set<String> usable = ConcurrentHashMap.newKeySet();
    private final AtomicInteger lookups = new AtomicInteger();

    /** A customer's user-assigned identity, as if created in their resource group. */
    public UserAssignedIdentity createUserAssigned(String name) {
        return createUserAssigned(name, TENANT);
    }

    private static String userAssignedResourceId(String name) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/customer/providers/"
                + "Microsoft.ManagedIdentity/userAssignedIdentities/" + name;
    }

    /** A user-assigned identity of a customer in {@code tenantId}. */
    public UserAssignedIdentity createUserAssigned(String name, String tenantId) {
        String resourceId = userAssignedResourceId(name);
        UserAssignedIdentity identity = new UserAssignedIdentity(
                new UserAssignedIdentityId(resourceId),
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                tenantId);
        identities.put(key(resourceId), identity);
        return identity;
    }

    public void delete(String resourceId) {
        identities.remove(key(resourceId));
    }

    private final AtomicInteger systemAssignedMade = new AtomicInteger();

    /** How many system-assigned identities were ever made (an ARM write each, on Azure), deleted ones too. */
    public int systemAssignedMade() {
        return systemAssignedMade.get();
    }

    @Override
    public UserAssignedIdentityId newSystemAssignedId(OrderName order) {
        return new UserAssignedIdentityId(userAssignedResourceId(
                "databox-" + order.value() + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Override
    public SystemAssignedIdentity createSystemAssigned(OrderName order, UserAssignedIdentityId id) {
        systemAssignedMade.incrementAndGet();
        // Tagged databox-order, as ArmIdentityDirectory makes them.
        UserAssignedIdentity made = new UserAssignedIdentity(
                id, UUID.randomUUID().toString(), UUID.randomUUID().toString(), TENANT, true);
        identities.put(key(made.resourceId().value()), made);
        usable.add(key(made.resourceId().value()));
        if (createAnswersLost) {
            throw armDown();
        }
        return new SystemAssignedIdentity(made.principalId(), made.tenantId(), made.resourceId());
    }

    private volatile boolean createAnswersLost;

    /** From now on an identity is made but ARM's answer is lost (it answered after the caller gave up); or not. */
    public void loseCreateAnswers(boolean lost) {
        createAnswersLost = lost;
    }

    @Override
    public void deleteSystemAssigned(SystemAssignedIdentity identity) {
        if (unavailable) {
            throw armDown();
        }
        usable.remove(key(identity.resourceId().value()));
        identities.remove(key(identity.resourceId().value()));
    }

    /** Each lookup takes {@code delay} from now on, as an ARM call does. */
    public void slowLookups(java.time.Duration delay) {
        lookupDelay = delay;
    }

    private volatile java.time.Duration lookupDelay = java.time.Duration.ZERO;

    private volatile boolean unavailable;

    private volatile Runnable beforeLookup = () -> {};

    /** Runs {@code hook} at the start of every lookup from now on, on the looking-up thread. */
    public void beforeLookup(Runnable hook) {
        beforeLookup = hook;
    }

    /** Lookups answer {@code ResourceManagerUnavailable} from now on, as ARM throttling or down does; or answer again. */
    public void unavailable(boolean down) {
        unavailable = down;
    }

    private static com.databox.cmk.error.ServiceException armDown() {
        return new com.databox.cmk.error.ServiceException(
                com.databox.cmk.error.ErrorCode.ResourceManagerUnavailable,
                "Azure Resource Manager did not answer.",
                null,
                java.time.Duration.ofSeconds(5),
                null);
    }

    private volatile com.databox.cmk.sdkhttp.WaitingRequests waiting;

    /**
     * Lookups wait on ARM within a bound of {@code limit} calls at once from now on, every thread's counted, as
     * {@code identity/ArmClient}'s ({@code cmk.identity.arm.max-waiting-requests}); one beyond it is refused at once
     * as ARM's outage. {@link #beforeLookup} runs within the bound, as the call does.
     */
    public void boundWaiting(int limit) {
        waiting = com.databox.cmk.sdkhttp.WaitingRequests.ofAllThreads(limit);
    }

    @Override
    public Optional<UserAssignedIdentity> findUserAssigned(UserAssignedIdentityId resourceId) {
        com.databox.cmk.sdkhttp.WaitingRequests bound = waiting;
        if (bound == null) {
            return lookUp(resourceId);
        }
        return bound.call(
                () -> lookUp(resourceId),
                () -> new com.databox.cmk.error.ServiceException(
                        com.databox.cmk.error.ErrorCode.ResourceManagerUnavailable,
                        "GET " + resourceId.value() + " not sent: " + bound.limit()
                                + " requests on this instance are waiting on Azure Resource Manager already",
                        null,
                        java.time.Duration.ofSeconds(5),
                        null));
    }

    private Optional<UserAssignedIdentity> lookUp(UserAssignedIdentityId resourceId) {
        lookups.incrementAndGet();
        beforeLookup.run();
        if (unavailable) {
            throw armDown();
        }
        if (!lookupDelay.isZero()) {
            try {
                Thread.sleep(lookupDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.ofNullable(identities.get(key(resourceId.value())));
    }

    private final java.util.concurrent.atomic.AtomicInteger assignments =
            new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void makeUsable(UserAssignedIdentity identity) {
        assignments.incrementAndGet();
        usable.add(key(identity.resourceId().value()));
    }

    /** How many times an identity was assigned to the function app (an ARM write each, on Azure). */
    public int assignments() {
        return assignments.get();
    }

    public boolean isUsable(String resourceId) {
        return usable.contains(key(resourceId));
    }

    public boolean exists(String resourceId) {
        return identities.containsKey(key(resourceId));
    }

    public boolean isUsable(UserAssignedIdentityId id) {
        return isUsable(id.value());
    }

    public boolean exists(UserAssignedIdentityId id) {
        return exists(id.value());
    }

    /** How many identities the directory holds (customers' and the orders' system-assigned ones). */
    public int count() {
        return identities.size();
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    public Set<UserAssignedIdentityId> assigned() {
        return usable.stream()
                .map(id ->
                        identities.containsKey(id) ? identities.get(id).resourceId() : new UserAssignedIdentityId(id))
                .collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public boolean assign(UserAssignedIdentityId id) {
        if (!identities.containsKey(key(id.value()))) {
            return false;
        }
        assignments.incrementAndGet();
        usable.add(key(id.value()));
        return true;
    }

    @Override
    public void unassign(UserAssignedIdentityId id) {
        usable.remove(key(id.value()));
    }

    @Override
    public void delete(UserAssignedIdentityId id) {
        identities.remove(key(id.value()));
    }

    private static String key(String resourceId) {
        return resourceId.toLowerCase(Locale.ROOT);
    }
}
