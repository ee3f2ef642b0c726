package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderKeyStatePage;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UnreadableOrder;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A stored order row the service cannot read again (a hand edit, storage corruption) in the audit's key states
 * (since 2026-12-07): left out of its page and named with its damaged column, for each column the audit selects
 * that the service parses, and for a whole order read again; the other orders of the page are read as ever. Read
 * alone or listed whole, it stays the service's 500 (an {@link IllegalStateException}).
 */
class TableOrdersDamagedRowsTest {
    private static final String SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000001";
    private static final String KEY = "https://cmk-damaged.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef";

    private final TableClient table = Azurite.shared().newTable("damaged").buildClient();
    private final TableOrders orders = new TableOrders(table);
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void aDamagedRowIsLeftOutOfTheKeyStatesAndNamedWithItsColumn() {
        Order healthyBefore = create("damaged-a-healthy", 1);
        Map<String, String> damagedColumns = new LinkedHashMap<>();
        damagedColumns.put("KekUrl", "https://hand-edited.example/not-a-key");
        damagedColumns.put("KekUserAssignedResourceId", "not-an-identity");
        damagedColumns.put("SystemResourceId", "/subscriptions/x/not-an-identity");
        damagedColumns.put("User0ResourceId", "");
        damagedColumns.put("Stage", "NoSuchStage");
        damagedColumns.put("HealthStatus", "NoSuchStatus");
        damagedColumns.put("KekIdentityType", "NoSuchIdentityType");
        damagedColumns.put("KekVaultResourceId", "/subscriptions/x/not-a-vault");
        damagedColumns.put("KekFederatedClientId", "not-an-application-id");
        List<UnreadableOrder> expected = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> column : damagedColumns.entrySet()) {
            Order order = create("damaged-b" + i++, 1);
            damage(order, column.getKey(), column.getValue());
            expected.add(new UnreadableOrder(order.ref(), column.getKey()));
        }
        // More identities than the key state's columns: read again whole, where its unlock key's URL is read too.
        Order crowded = create("damaged-c-crowded", OrderEntityMapper.KEY_STATE_USER_IDENTITIES + 1);
        damage(crowded, "WrappedKeyId", "not-a-key-url");
        expected.add(new UnreadableOrder(crowded.ref(), "WrappedKeyId"));
        Order healthyAfter = create("damaged-d-healthy", 1);

        OrderKeyStatePage page = orders.listKeyStates(tenant, 100, null, next -> {});

        assertThat(page.orders()).containsExactly(healthyBefore.keyState(), healthyAfter.keyState());
        assertThat(page.unreadable()).containsExactlyElementsOf(expected);
        assertThatThrownBy(() -> orders.find(expected.getFirst().order())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> orders.list(tenant, 100, null)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Bug bash dv1 F1: the key health's time is a column the audit selects and parses; a damaged one threw a
     * {@code DateTimeParseException}, which failed the whole page, so the audit shard failed on every delivery and
     * the tenant's run stayed {@code Running} (API.md, "unreadable").
     */
    @Test
    void aDamagedHealthTimeIsLeftOutOfTheKeyStatesToo() {
        Order healthy = create("damaged-e-healthy", 1);
        Order damaged = create("damaged-f-time", 1);
        damage(damaged, "HealthCheckedAt", "nope");

        OrderKeyStatePage page = orders.listKeyStates(tenant, 100, null, next -> {});

        assertThat(page.orders()).containsExactly(healthy.keyState());
        assertThat(page.unreadable()).containsExactly(new UnreadableOrder(damaged.ref(), "HealthCheckedAt"));
    }

    /**
     * An order read again whole (more identities than the key state's columns), and read alone: each column its
     * whole read parses is a damaged row naming the column, and neither the message nor its cause quotes the value
     * (a read alone logs them; dv1: a key URL's was quoted).
     */
    @Test
    void aDamagedColumnOfAWholeReadIsNamedNeverQuoted() {
        Map<String, String> damagedColumns = new LinkedHashMap<>();
        damagedColumns.put("WrappedKey", "!!not-base64!!");
        damagedColumns.put("WrappedKeyAlgorithm", "QuotedNever");
        damagedColumns.put("WrappedKeyId", "quoted-never a key URL");
        damagedColumns.put("CreatedAt", "quoted-never-a-time");
        damagedColumns.put("UpdatedAt", "quoted-never-a-time");
        damagedColumns.put("StageSince", "quoted-never-a-time");
        damagedColumns.put("KekUrl", "quoted-never a key URL");
        damagedColumns.put("User0ResourceId", "/subscriptions/quoted-never");
        damagedColumns.put("Stage", "QuotedNever");
        int i = 0;
        for (Map.Entry<String, String> column : damagedColumns.entrySet()) {
            Order order = create("damaged-g" + i++, OrderEntityMapper.KEY_STATE_USER_IDENTITIES + 1);
            damage(order, column.getKey(), column.getValue());

            OrderKeyStatePage page = orders.listKeyStates(tenant, 100, null, next -> {});
            assertThat(page.unreadable()).contains(new UnreadableOrder(order.ref(), column.getKey()));
            assertThatThrownBy(() -> orders.find(order.ref()))
                    .isInstanceOfSatisfying(DamagedRowException.class, damaged -> {
                        assertThat(damaged.column()).isEqualTo(column.getKey());
                        assertThat(damaged.getMessage()).doesNotContain("quoted-never", "QuotedNever", "!!");
                        assertThat(damaged.getCause()).isNull();
                    });
        }
    }

    /**
     * The identity sweep's range read (since 2026-12-08: before, a damaged row failed the whole sweep): the row is
     * left out and named with its column and every identity it names, past its {@code UserCount} too; when a column
     * that names an identity is the damaged one, its identities are unknown.
     */
    @Test
    void aDamagedRowIsLeftOutOfARangeWithTheIdentitiesItNames() {
        Order healthy = create("damaged-i-healthy", 1);
        Order damaged = create("damaged-j-key", 2);
        Order unnamed = create("damaged-k-system", 1);
        Order healthyAfter = create("damaged-l-healthy", 1);
        damage(damaged, "KekUrl", "quoted-never a key URL");
        // A column past the count: a hand edit that lowered UserCount hides no identity from the sweep.
        damage(damaged, "UserCount", 1);
        damage(unnamed, "SystemResourceId", "/subscriptions/quoted-never");
        List<UnreadableOrder> unreadable = new ArrayList<>();

        List<Order> read = new ArrayList<>();
        orders.listRange(tenant, healthy.name(), healthyAfter.name(), unreadable::add)
                .forEach(read::add);

        assertThat(read).extracting(Order::ref).containsExactly(healthy.ref(), healthyAfter.ref());
        List<UserAssignedIdentityId> named = new ArrayList<>(damaged.identity().userAssignedIds());
        named.add(damaged.identity().serviceCreatedId().orElseThrow());
        assertThat(named).hasSize(3);
        assertThat(unreadable)
                .containsExactly(
                        new UnreadableOrder(damaged.ref(), "KekUrl", Optional.of(Set.copyOf(named))),
                        new UnreadableOrder(unnamed.ref(), "SystemResourceId"));
        assertThat(unreadable
                        .getLast()
                        .mayHold(healthy.identity().serviceCreatedId().orElseThrow()))
                .as("any identity may be its")
                .isTrue();
    }

    /**
     * A {@code UserCount} that is no count (text, or below zero) is a damaged row naming it (since 2026-12-08: before,
     * it read as none, the order's user-assigned identities went unseen and the identity sweep un-assigned them).
     */
    @Test
    void aUserCountThatIsNoCountIsADamagedRow() {
        Order text = create("damaged-m-text", 1);
        Order negative = create("damaged-n-negative", 1);
        damage(text, "UserCount", "1");
        damage(negative, "UserCount", -1);
        List<UnreadableOrder> unreadable = new ArrayList<>();

        orders.listRange(tenant, text.name(), negative.name(), unreadable::add).forEach(order -> {});

        assertThat(unreadable)
                .extracting(UnreadableOrder::order, UnreadableOrder::column)
                .containsExactly(tuple(text.ref(), "UserCount"), tuple(negative.ref(), "UserCount"));
        assertThat(orders.listKeyStates(tenant, 100, null, next -> {}).unreadable())
                .extracting(UnreadableOrder::order, UnreadableOrder::column)
                .contains(tuple(text.ref(), "UserCount"), tuple(negative.ref(), "UserCount"));
        assertThatThrownBy(() -> orders.find(text.ref()))
                .isInstanceOfSatisfying(
                        DamagedRowException.class,
                        damaged -> assertThat(damaged.column()).isEqualTo("UserCount"));
    }

    /**
     * Review rv14 F5: the count of a tenant's orders holding a system-assigned identity (a quota every
     * system-assigned request checks) read Stage and UpdatedAt unchecked: a damaged one failed with no column named.
     */
    @Test
    void theSystemAssignedCountNamesADamagedColumn() {
        Order order = create("damaged-h-count", 1);
        for (String column : List.of("Stage", "UpdatedAt")) {
            damage(order, column, "QuotedNever");
            assertThatThrownBy(() -> orders.countHoldingSystemAssigned(tenant, now, Duration.ofDays(30), 10))
                    .isInstanceOfSatisfying(
                            DamagedRowException.class,
                            damaged -> assertThat(damaged.column()).isEqualTo(column));
            damage(order, column, column.equals("Stage") ? order.stage().name() : now.toString());
        }
    }

    private void damage(Order order, String column, Object value) {
        TableEntity row = new TableEntity(tenant.value(), OrderEntityMapper.orderRow(order.name()));
        row.addProperty(column, value);
        table.updateEntity(row, TableEntityUpdateMode.MERGE);
    }

    /** A customer-managed order with a system-assigned identity and {@code users} user-assigned ones, its key's. */
    private Order create(String name, int users) {
        Map<UserAssignedIdentityId, UserAssignedIdentity> attached = new LinkedHashMap<>();
        for (int i = 0; i < users; i++) {
            UserAssignedIdentityId id = new UserAssignedIdentityId(identityId("user-" + i));
            attached.put(
                    id,
                    new UserAssignedIdentity(
                            id, UUID.randomUUID().toString(), UUID.randomUUID().toString(), tenant.value()));
        }
        OrderIdentity identity = new OrderIdentity(
                new SystemAssignedIdentity(
                        UUID.randomUUID().toString(),
                        tenant.value(),
                        new UserAssignedIdentityId(identityId("system-" + name))),
                attached);
        KeyProtection key = new KeyProtection.CustomerManaged(
                KeyUrl.parse(KEY),
                null,
                KeyIdentity.userAssigned(attached.keySet().iterator().next()),
                false);
        Order order = Order.draft(new OrderRef(tenant, new OrderName(name)), "westus", identity, now)
                .withProtection(key, new WrappedUnlockKey(KeyUrl.parse(KEY), "RSA-OAEP-256", new byte[256]))
                .withKeyHealth(KeyHealth.healthy(now));
        return orders.create(order, new HistoryEntry(now, "create", "test", "damaged rows"));
    }

    private static String identityId(String name) {
        return SUBSCRIPTION + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + name;
    }
}
