package com.databox.cmk.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.storage.TableOrders;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.LoggedRecords;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * The identity sweep over orders in Table Storage (Azurite) of which one row cannot be read again (a hand edit,
 * storage corruption), ARM and the registry in memory (since 2026-12-08: before, the damaged row failed the whole
 * sweep, every run, and no identity was let go). The damaged row's identities are never let go: whether its order
 * still holds them cannot be told, and deleting a live order's identity loses its key access for good.
 */
class IdentitySweepDamagedRowsTest {
    private static final Duration SETTLE = Duration.ofMinutes(15);
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final String KEY = "https://cmk-sweep.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef";

    private final InMemoryStack stack = new InMemoryStack();
    private final TableClient table = Azurite.shared().newTable("sweepdamaged").buildClient();
    private final TableOrders orders = new TableOrders(table);
    private final RegisteringDirectory directory =
            new RegisteringDirectory(stack.identities, stack.identityRegistry, stack.clock);
    private final IdentitySweep sweep = new IdentitySweep(
            orders, stack.identityRegistry, stack.identities, new SweepSettings(SETTLE, RETENTION, 100), stack.clock);
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());

    @Test
    void aDamagedRowKeepsItsIdentitiesWhileTheOthersAreSweptAsEver() {
        Order healthy = orderWithIdentities("sweep-a-healthy");
        Order damaged = orderWithIdentities("sweep-b-damaged");
        Order healthyAfter = orderWithIdentities("sweep-c-healthy");
        UserAssignedIdentityId orphan = directory.newSystemAssignedId(new OrderName("sweep-gone"));
        directory.createSystemAssigned(new OrderName("sweep-gone"), orphan);
        UserAssignedIdentity detachedIdentity = stack.identities.createUserAssigned("detached-" + UUID.randomUUID());
        directory.makeUsable(detachedIdentity);
        UserAssignedIdentityId detached = detachedIdentity.resourceId();
        damage(damaged, "KekType", "QuotedNever");
        stack.advance(SETTLE.plusSeconds(1));

        SweepReport report;
        try (LoggedRecords logged = errorsOf(IdentitySweep.class)) {
            report = sweep.sweep();

            assertThat(logged.records())
                    .singleElement()
                    .extracting(r -> ((ExtLogRecord) r).getFormattedMessage())
                    .asString()
                    .contains(damaged.name().value(), tenant.value(), "KekType", "the identities it names are kept")
                    .doesNotContain("QuotedNever");
        }

        assertThat(report.unreadable()).isEqualTo(1);
        assertThat(report.deleted())
                .as("the identity made for an order no row names")
                .isEqualTo(1);
        assertThat(report.unassigned())
                .as("the customer's identity no order holds")
                .isEqualTo(1);
        assertThat(stack.identities.exists(orphan)).isFalse();
        assertThat(stack.identities.isUsable(detached)).isFalse();
        assertThat(stack.identityRegistry.find(orphan)).isEmpty();
        for (Order order : new Order[] {healthy, damaged, healthyAfter}) {
            for (UserAssignedIdentityId id : idsOf(order)) {
                assertThat(stack.identities.exists(id)).as(id.value()).isTrue();
                assertThat(stack.identities.isUsable(id)).as(id.value()).isTrue();
                assertThat(stack.identityRegistry.find(id)).as(id.value()).isPresent();
            }
        }
    }

    /**
     * The column that names its system-assigned identity is the damaged one: which identity it holds cannot be read,
     * and any may be its, so none is let go this run; the held ones are still assigned again.
     */
    @Test
    void aDamagedRowWhoseIdentityCannotBeReadKeepsEveryIdentity() {
        Order healthy = orderWithIdentities("sweep-d-healthy");
        Order damaged = orderWithIdentities("sweep-e-damaged");
        UserAssignedIdentityId orphan = directory.newSystemAssignedId(new OrderName("sweep-gone"));
        directory.createSystemAssigned(new OrderName("sweep-gone"), orphan);
        UserAssignedIdentityId drifted =
                healthy.identity().userAssignedIds().iterator().next();
        stack.identities.unassign(drifted);
        damage(damaged, "SystemResourceId", "/subscriptions/quoted-never");
        stack.advance(SETTLE.plusSeconds(1));

        SweepReport report;
        try (LoggedRecords logged = errorsOf(IdentitySweep.class)) {
            report = sweep.sweep();

            assertThat(logged.records())
                    .singleElement()
                    .extracting(r -> ((ExtLogRecord) r).getFormattedMessage())
                    .asString()
                    .contains(damaged.name().value(), "SystemResourceId", "so no identity is let go")
                    .doesNotContain("quoted-never");
        }

        assertThat(report.unreadable()).isEqualTo(1);
        assertThat(report.deleted() + report.unassigned()).isZero();
        assertThat(report.reassigned()).isEqualTo(1);
        assertThat(stack.identities.exists(orphan)).isTrue();
        assertThat(stack.identityRegistry.find(orphan)).isPresent();
        assertThat(stack.identities.isUsable(drifted)).isTrue();
        assertThat(idsOf(damaged))
                .allSatisfy(id -> assertThat(stack.identities.isUsable(id)).isTrue());
    }

    private static LoggedRecords errorsOf(Class<?> logger) {
        return LoggedRecords.capture(
                r -> r.getLoggerName().equals(logger.getName()) && r.getLevel().intValue() >= Level.SEVERE.intValue());
    }

    private Order orderWithIdentities(String name) {
        OrderName orderName = new OrderName(name);
        SystemAssignedIdentity system =
                directory.createSystemAssigned(orderName, directory.newSystemAssignedId(orderName));
        UserAssignedIdentity user = stack.identities.createUserAssigned(name + "-" + UUID.randomUUID());
        directory.makeUsable(user);
        Order order = Order.draft(
                        new OrderRef(tenant, orderName),
                        "westus",
                        new OrderIdentity(system, Map.of(user.resourceId(), user)),
                        stack.clock.instant())
                .withProtection(
                        new KeyProtection.CustomerManaged(
                                KeyUrl.parse(KEY), null, KeyIdentity.userAssigned(user.resourceId()), false),
                        new WrappedUnlockKey(KeyUrl.parse(KEY), "RSA-OAEP-256", new byte[256]));
        return orders.create(order, new HistoryEntry(stack.clock.instant(), "create", "test", "damaged rows"));
    }

    private static java.util.List<UserAssignedIdentityId> idsOf(Order order) {
        java.util.List<UserAssignedIdentityId> ids =
                new java.util.ArrayList<>(order.identity().userAssignedIds());
        order.identity().serviceCreatedId().ifPresent(ids::add);
        return ids;
    }

    /** As a hand edit might: the order's stored {@code column} no release writes. */
    private void damage(Order order, String column, String value) {
        TableEntity row =
                new TableEntity(tenant.value(), "order~" + order.name().value());
        row.addProperty(column, value);
        table.updateEntity(row, TableEntityUpdateMode.MERGE);
    }
}
