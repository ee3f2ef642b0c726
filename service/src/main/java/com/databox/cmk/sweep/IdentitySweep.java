package com.databox.cmk.sweep;

import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderNamePage;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UnreadableOrder;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Un-assigns from the function app the identities no order holds, and deletes those the service
 * made for orders that no longer hold them; assigns again any identity an order holds that is not
 * assigned (whatever un-assigned it).
 *
 * <p>Why an attach in flight is safe: an attach registers the identity, then assigns it, proves the
 * key with it and writes the order. The sweep reads the registrations first, then every order; it
 * leaves alone what was registered within {@link SweepSettings#settle()} (longer than a request), so
 * an attach it could miss on the orders is one that registered after the sweep read the
 * registrations. The sweep un-assigns first and then forgets the registration only at the version it
 * read: an attach that registered meanwhile makes that fail, and the sweep assigns the identity
 * again; one that registers after it assigns the identity itself.
 */
public final class IdentitySweep {
    private static final Logger LOG = Logger.getLogger(IdentitySweep.class);
    private static final int PAGE = 500;

    private final Orders orders;
    private final IdentityRegistry registry;
    private final AppIdentities app;
    private final SweepSettings settings;
    private final Clock clock;

    public IdentitySweep(
            Orders orders, IdentityRegistry registry, AppIdentities app, SweepSettings settings, Clock clock) {
        this.orders = orders;
        this.registry = registry;
        this.app = app;
        this.settings = settings;
        this.clock = clock;
    }

    public SweepReport sweep() {
        Instant started = clock.instant();
        Map<UserAssignedIdentityId, RegisteredIdentity> registered = new HashMap<>();
        registry.all().forEach(registration -> registered.put(registration.id(), registration));
        List<UnreadableOrder> unreadable = new ArrayList<>();
        Map<UserAssignedIdentityId, RegisteredIdentity.Origin> held = heldIdentities(started, unreadable::add);
        Set<UserAssignedIdentityId> assigned = app.assigned();

        int reassigned = 0;
        int missing = 0;
        int failed = 0;
        for (Map.Entry<UserAssignedIdentityId, RegisteredIdentity.Origin> identity : held.entrySet()) {
            try {
                if (!registered.containsKey(identity.getKey())) {
                    // Assigned before the service kept registrations: from now on it is swept when unused.
                    registry.register(identity.getKey(), identity.getValue(), started);
                }
                if (!assigned.contains(identity.getKey())) {
                    if (app.assign(identity.getKey())) {
                        reassigned++;
                    } else {
                        missing++;
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Identity sweep: %s not checked (%s); the next run tries again",
                        identity.getKey(), e.getMessage());
                failed++;
            }
        }

        int unassigned = 0;
        int deleted = 0;
        int settling = 0;
        int keptForUnreadable = 0;
        Instant settledBefore = started.minus(settings.settle());
        for (RegisteredIdentity registration : registered.values()) {
            if (held.containsKey(registration.id())) {
                continue;
            }
            if (registration.registeredAt().isAfter(settledBefore)) {
                settling++;
                continue;
            }
            if (unreadable.stream().anyMatch(damaged -> damaged.mayHold(registration.id()))) {
                // Kept: whether that order still holds it cannot be told, and a live order whose identity is
                // deleted loses its key access for good.
                keptForUnreadable++;
                continue;
            }
            if (unassigned + deleted >= settings.maxChanges()) {
                break;
            }
            try {
                if (release(registration, assigned.contains(registration.id()))) {
                    if (registration.origin() == RegisteredIdentity.Origin.SERVICE_CREATED) {
                        deleted++;
                    } else {
                        unassigned++;
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Identity sweep: %s not released (%s); the next run tries again",
                        registration.id(), e.getMessage());
                failed++;
            }
        }
        SweepReport report = new SweepReport(
                held.size(), reassigned, missing, unassigned, deleted, settling, failed, unreadable.size());
        LOG.infof(
                "Identity sweep: %s held (%s assigned again, %s no longer exist), %s un-assigned, %s deleted,"
                        + " %s settling, %s failed; %s orders unreadable, %s identities kept for them",
                report.held(),
                report.reassigned(),
                report.missing(),
                report.unassigned(),
                report.deleted(),
                report.settling(),
                report.failed(),
                report.unreadable(),
                keptForUnreadable);
        return report;
    }

    /** @return whether the identity was released (false: an attach renewed it meanwhile, so it stays assigned) */
    private boolean release(RegisteredIdentity registration, boolean isAssigned) {
        if (isAssigned) {
            app.unassign(registration.id());
        }
        if (registration.origin() == RegisteredIdentity.Origin.SERVICE_CREATED) {
            // Never attached again once its order let it go: deleted before its registration is forgotten,
            // so that a failed delete is retried by the next run.
            app.delete(registration.id());
            registry.forget(registration);
            return true;
        }
        boolean forgotten;
        try {
            forgotten = registry.forget(registration);
        } catch (RuntimeException e) {
            // Whether an attach renewed the registration meanwhile is unknown: assigned again, the next run retries.
            reassign(registration, isAssigned, e);
            throw e;
        }
        if (!forgotten) {
            app.assign(registration.id());
            return false;
        }
        return true;
    }

    private void reassign(RegisteredIdentity registration, boolean wasAssigned, RuntimeException cause) {
        if (!wasAssigned) {
            return;
        }
        try {
            app.assign(registration.id());
        } catch (RuntimeException e) {
            // The next run assigns it again if an order holds it.
            cause.addSuppressed(e);
        }
    }

    /**
     * Every identity an order holds, read tenant by tenant and page by page; an order whose row cannot be read again
     * is logged and handed to {@code unreadable}.
     */
    private Map<UserAssignedIdentityId, RegisteredIdentity.Origin> heldIdentities(
            Instant now, Consumer<UnreadableOrder> unreadable) {
        Map<UserAssignedIdentityId, RegisteredIdentity.Origin> held = new HashMap<>();
        String continuation = null;
        do {
            OrderNamePage page = orders.listNames(null, PAGE, continuation);
            Map<TenantId, List<OrderRef>> byTenant = new LinkedHashMap<>();
            for (OrderRef ref : page.names()) {
                byTenant.computeIfAbsent(ref.tenant(), t -> new ArrayList<>()).add(ref);
            }
            for (Map.Entry<TenantId, List<OrderRef>> slice : byTenant.entrySet()) {
                List<OrderRef> refs = slice.getValue();
                for (Order order : orders.listRange(
                        slice.getKey(), refs.getFirst().name(), refs.getLast().name(), damaged -> {
                            logUnreadable(damaged);
                            unreadable.accept(damaged);
                        })) {
                    if (order.holdsIdentitiesAt(now, settings.finishedOrderRetention())) {
                        order.identity()
                                .userAssignedIds()
                                .forEach(id -> held.put(id, RegisteredIdentity.Origin.CUSTOMER));
                        order.identity()
                                .serviceCreatedId()
                                .ifPresent(id -> held.put(id, RegisteredIdentity.Origin.SERVICE_CREATED));
                    }
                }
            }
            continuation = page.continuation();
        } while (continuation != null);
        return held;
    }

    /**
     * One line an order and run, at ERROR, as the audit logs one: no release writes such a row, someone must mend or
     * delete it. The column only, never its value.
     */
    private static void logUnreadable(UnreadableOrder damaged) {
        LOG.errorf(
                "Identity sweep: order %s of tenant %s cannot be read (its stored %s is damaged); %s, counted as"
                        + " unreadable: mend or delete the row",
                damaged.order().name().value(),
                damaged.order().tenant().value(),
                damaged.column(),
                damaged.namesItsIdentities()
                        ? "the identities it names are kept"
                        : "the identities it names cannot be read either, so no identity is let go");
    }
}
