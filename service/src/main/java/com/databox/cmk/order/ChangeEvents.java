package com.databox.cmk.order;

import java.util.ArrayList;
import java.util.List;

/** The events a change of an order carries into its outbox, from the order as read and as it is to be stored. */
@FunctionalInterface
public interface ChangeEvents {
    List<OrderEvent> of(Order before, Order after);

    ChangeEvents NONE = (before, after) -> List.of();

    /**
     * Each change of the customer's key health's status that Logic Apps act on (API.md, "Audit report and
     * events"), whoever makes it: access lost (from Unknown or Healthy), and access regained (AccessLost to
     * Healthy). Only of an order protected by the customer's key before the change: the Microsoft-managed
     * key's health is the service's own business. A revert proves the customer's key unwraps, so access
     * regained then names that key.
     */
    ChangeEvents KEY_HEALTH = (before, after) -> {
        if (!before.isCustomerManaged()) {
            return List.of();
        }
        String key = after.isCustomerManaged() ? after.eventKeyId() : before.eventKeyId();
        KeyHealth was = before.keyHealth();
        KeyHealth now = after.keyHealth();
        if (now.status() == KeyHealth.Status.AccessLost && was.status() != KeyHealth.Status.AccessLost) {
            return List.of(OrderEvent.accessLost(key, now.errorCode(), now.message(), now.lastCheckedAt()));
        }
        if (now.status() == KeyHealth.Status.Healthy && was.status() == KeyHealth.Status.AccessLost) {
            return List.of(OrderEvent.accessRestored(key, now.lastCheckedAt()));
        }
        return List.of();
    };

    /**
     * Each move of an order that follows its key's new versions to another version of the same key, whoever
     * makes it (API.md, "Audit report and events"): the audit's rotation, a change of identity (which proves
     * the newest version when it can), a change of key to the same versionless URL. The service chose the
     * version, so the customer's Logic App hears of it. The time is the new version's proof, the change's.
     */
    ChangeEvents KEY_VERSION = (before, after) -> {
        if (before.protection() instanceof KeyProtection.CustomerManaged was
                && was.autoRotation()
                && after.protection() instanceof KeyProtection.CustomerManaged now
                && now.autoRotation()
                && now.versionless().equals(was.versionless())
                && !now.keyUrl().equals(was.keyUrl())) {
            return List.of(OrderEvent.versionRotated(
                    now.keyUrl().keyId(),
                    was.keyUrl().keyId(),
                    after.keyHealth().lastCheckedAt()));
        }
        return List.of();
    };

    /** These events, then {@code more}'s. */
    default ChangeEvents and(ChangeEvents more) {
        return (before, after) -> {
            List<OrderEvent> first = of(before, after);
            List<OrderEvent> then = more.of(before, after);
            if (then.isEmpty()) {
                return first;
            }
            List<OrderEvent> all = new ArrayList<>(first);
            all.addAll(then);
            return List.copyOf(all);
        };
    }
}
