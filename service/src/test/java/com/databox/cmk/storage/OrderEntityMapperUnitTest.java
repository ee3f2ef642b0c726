package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.order.FederatedClientId;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stored row keeps the key's federated application (issue 12, item 8), and its absence; a page's
 * orders are mapped as each one alone would be, sharing the key protection they have in common.
 */
class OrderEntityMapperUnitTest {
    private static final UserAssignedIdentityId UAI = new UserAssignedIdentityId("/subscriptions/"
            + "d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg/providers/Microsoft.ManagedIdentity/"
            + "userAssignedIdentities/uai-1");
    private static final KeyUrl KEY =
            KeyUrl.parse("https://contoso.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef");

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theKeyIdentityRoundTrips(boolean federated) {
        KeyIdentity identity = federated
                ? KeyIdentity.userAssigned(UAI, new FederatedClientId("6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab"))
                : KeyIdentity.userAssigned(UAI);
        Order order = order("order-1", KEY, identity, false);
        Order read = OrderEntityMapper.toOrder(OrderEntityMapper.toEntity(order));
        assertThat(((KeyProtection.CustomerManaged) read.protection()).keyIdentity())
                .isEqualTo(identity);
    }

    @Test
    void aPagesOrdersAreMappedAsEachAloneAndShareTheirKeyProtection() {
        KeyUrl otherKey = KeyUrl.parse("https://contoso.vault.azure.net/keys/kek/fedcba9876543210fedcba9876543210");
        KeyIdentity uai = KeyIdentity.userAssigned(UAI);
        List<TableEntity> page = List.of(
                OrderEntityMapper.toEntity(order("order-1", KEY, uai, true)),
                OrderEntityMapper.toEntity(order("order-2", KEY, uai, true)),
                OrderEntityMapper.toEntity(order("order-3", otherKey, uai, true)),
                OrderEntityMapper.toEntity(order("order-4", KEY, uai, false)));
        List<Order> mapped = page.stream().map(OrderEntityMapper.pageMapper()).toList();

        assertThat(mapped)
                .isEqualTo(page.stream().map(OrderEntityMapper::toOrder).toList());
        assertThat(mapped.get(1).protection()).isSameAs(mapped.get(0).protection());
        assertThat(mapped.get(2).protection()).isNotEqualTo(mapped.get(0).protection());
        assertThat(mapped.get(3).protection()).isNotEqualTo(mapped.get(0).protection());
        assertThat(mapped.get(3).tenant()).isSameAs(mapped.get(0).tenant());
    }

    /** A row written before StageSince was stored: its first stage since creation, a later one since its last write. */
    @Test
    void aRowWithoutStageSinceIsInItsStageSinceWhatIsBestKnown() {
        Instant created = Instant.parse("2026-11-30T00:00:00Z");
        Instant moved = Instant.parse("2026-12-01T00:00:00Z");
        Instant rewritten = Instant.parse("2026-12-02T00:00:00Z");
        Order first =
                order("order-1", KEY, KeyIdentity.userAssigned(UAI), false).stored(rewritten, "etag");
        Order later = first.withStage(com.databox.cmk.order.Stage.Dispatched)
                .stored(moved, "etag")
                .stored(rewritten, "etag");
        TableEntity firstRow = OrderEntityMapper.toEntity(first);
        TableEntity laterRow = OrderEntityMapper.toEntity(later);

        assertThat(OrderEntityMapper.toOrder(laterRow).stageSince()).isEqualTo(moved);
        firstRow.getProperties().remove("StageSince");
        laterRow.getProperties().remove("StageSince");
        assertThat(OrderEntityMapper.toOrder(firstRow).stageSince()).isEqualTo(created);
        assertThat(OrderEntityMapper.toOrder(laterRow).stageSince()).isEqualTo(rewritten);
    }

    /**
     * The key that wraps the unlock key is read back as the key URL it names, in whatever form a row holds it (HTTPS's
     * port, the host's case), so that a change of key to the same key is told as such.
     */
    @Test
    void aStoredWrappedKeyNamesItsKeyUrl() {
        TableEntity row = OrderEntityMapper.toEntity(order("order-1", KEY, KeyIdentity.userAssigned(UAI), false));
        assertThat(row.getProperties()).containsEntry("WrappedKeyId", KEY.keyId());
        row.getProperties()
                .put("WrappedKeyId", "https://Contoso.Vault.Azure.Net:443/keys/kek/0123456789abcdef0123456789abcdef");

        assertThat(OrderEntityMapper.toOrder(row).wrappedUnlockKey().keyUrl()).isEqualTo(KEY);
    }

    /**
     * A stored key URL the service cannot read again (a damaged or hand-edited row) is the service's fault: not the
     * customer's SsemUserErrorInvalidKeyVaultUrl, target kekUrl, which a Microsoft-managed order has not and no
     * customer could correct (review rv10 M1).
     */
    @ParameterizedTest
    @ValueSource(strings = {"WrappedKeyId", "KekUrl"})
    void aStoredKeyUrlThatIsNoKeyUrlIsTheServicesFault(String column) {
        assertDamaged(damagedRow(column, "https://contoso.vault.azure.net/keys/kek/Versions-1"), column);
    }

    /**
     * A stored user-assigned identity's resource ID that is no {@code UserAssignedIdentityId} (a damaged or
     * hand-edited row) is the service's fault too, named by its column: the order's identities are keyed by the type,
     * and such a key was left out of the identity sweep's list before. So is the one the service made as the order's
     * system-assigned identity (every release named it in that shape, in the service's subscription), which the
     * sweep left out and which could not be deleted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"User0ResourceId", "KekUserAssignedResourceId", "SystemResourceId"})
    void aStoredIdentityIdThatIsNoResourceIdIsTheServicesFault(String column) {
        TableEntity row = damagedRow(column, UAI.value() + "/../other");

        assertDamaged(row, column);
        assertThatThrownBy(() -> OrderEntityMapper.keyStatePageMapper().apply(row))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(column);
    }

    private static TableEntity damagedRow(String column, String value) {
        TableEntity row = OrderEntityMapper.toEntity(order("order-1", KEY, KeyIdentity.userAssigned(UAI), false));
        row.getProperties().put(column, value);
        return row;
    }

    /** An order read alone or in a page: the column is named, and the row is the service's fault. */
    private static void assertDamaged(TableEntity row, String column) {
        assertThatThrownBy(() -> OrderEntityMapper.toOrder(row))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(column);
        assertThatThrownBy(() -> OrderEntityMapper.pageMapper().apply(row))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(column);
    }

    /** The stored spelling is the key's and is shown; it is found in any case, as ARM's resource IDs are. */
    @Test
    void aStoredIdentityIdKeepsItsSpellingAndIsFoundInAnyCase() {
        String upper = UAI.value().toUpperCase(Locale.ROOT);
        TableEntity row = OrderEntityMapper.toEntity(order("order-1", KEY, KeyIdentity.userAssigned(UAI), false));
        row.getProperties().put("User0ResourceId", upper);

        Order read = OrderEntityMapper.toOrder(row);

        assertThat(read.identity().userAssigned().keySet())
                .singleElement()
                .extracting(UserAssignedIdentityId::value)
                .isEqualTo(upper);
        assertThat(read.identity().findUserAssigned(UAI)).isPresent();
    }

    /**
     * The identity the service made as the order's system-assigned one is stored, read and written again in the
     * spelling it was given, and is the one the sweep counts as the order's.
     */
    @Test
    void aStoredSystemAssignedIdentityKeepsItsSpelling() {
        String spelling = "/subscriptions/D47AB0C5-0000-4000-8000-00000000DA7A/resourceGroups/Svc/providers/"
                + "Microsoft.ManagedIdentity/userAssignedIdentities/databox-order-1-0123456789ABCDEF";
        Order written = order("order-1", KEY, KeyIdentity.SYSTEM_ASSIGNED, false);
        written = written.withIdentity(new OrderIdentity(
                new SystemAssignedIdentity("principal", "t", new UserAssignedIdentityId(spelling)),
                written.identity().userAssigned()));
        TableEntity row = OrderEntityMapper.toEntity(written);

        Order read = OrderEntityMapper.toOrder(row);

        assertThat(row.getProperties()).containsEntry("SystemResourceId", spelling);
        assertThat(read.identity().serviceCreatedId())
                .map(UserAssignedIdentityId::value)
                .contains(spelling);
        assertThat(OrderEntityMapper.toEntity(read).getProperties()).isEqualTo(row.getProperties());
    }

    /**
     * Upgrade guard (bug bash up1): the identity columns as the first release (b1123bc, before the typed model) wrote
     * them for an order made on the emulator: each ID in the spelling its request gave, the attached one upper case
     * and the key's lower case. Every release checked an attached or key identity against the directory's strict
     * shape, so such rows are all well-formed in some case; they read, and the key's identity is the attached one.
     */
    @Test
    void identityColumnsOfTheFirstReleaseReadInTheSpellingsTheyWereGiven() {
        String upper = UAI.value().toUpperCase(Locale.ROOT);
        String lower = UAI.value().toLowerCase(Locale.ROOT);
        TableEntity row = OrderEntityMapper.toEntity(order("order-1", KEY, KeyIdentity.userAssigned(UAI), false));
        row.getProperties().put("User0ResourceId", upper);
        row.getProperties().put("KekUserAssignedResourceId", lower);

        Order read = OrderEntityMapper.toOrder(row);
        KeyIdentity keyIdentity = ((KeyProtection.CustomerManaged) read.protection()).keyIdentity();

        assertThat(keyIdentity).isEqualTo(KeyIdentity.userAssigned(UAI));
        assertThat(read.identity().findUserAssigned(((KeyIdentity.UserAssigned) keyIdentity).id()))
                .isPresent();
        assertThat(read.identity().userAssignedIds()).containsExactly(UAI);
        assertThat(OrderEntityMapper.pageMapper().apply(row)).isEqualTo(read);
    }

    private static Order order(String name, KeyUrl key, KeyIdentity identity, boolean autoRotation) {
        return Order.draft(
                        new OrderRef(InMemoryStack.TENANT, new OrderName(name)),
                        "westus",
                        new OrderIdentity(null, Map.of(UAI, new UserAssignedIdentity(UAI, "principal", "client", "t"))),
                        Instant.parse("2026-11-30T00:00:00Z"))
                .withProtection(
                        new KeyProtection.CustomerManaged(key, null, identity, autoRotation),
                        new WrappedUnlockKey(key, "RSA-OAEP-256", new byte[8]));
    }

    /** A row key's digits are ASCII whatever the JVM's default locale (String.format's %d follows it). */
    @ParameterizedTest
    @ValueSource(strings = {"ar-EG", "fa-IR", "th-TH-u-nu-thai"})
    void rowKeysAreTheSameInEveryDefaultLocale(String tag) {
        Locale before = Locale.getDefault();
        Instant at = Instant.parse("2026-12-07T08:00:00Z");
        OrderName name = new OrderName("order-1");
        OrderEvent event = OrderEvent.accessRestored("https://a.vault.azure.net/keys/k/1", at);
        String history = OrderEntityMapper.historyRowsAt(name, at);
        String outbox = OrderEntityMapper.outboxRow(name, event);
        try {
            Locale.setDefault(Locale.forLanguageTag(tag));
            assertThat(OrderEntityMapper.historyRowsAt(name, at))
                    .isEqualTo(history)
                    .matches(".*~[0-9]{19}");
            assertThat(OrderEntityMapper.outboxRow(name, event))
                    .isEqualTo(outbox)
                    .contains("~000000" + at.toEpochMilli() + "~");
        } finally {
            Locale.setDefault(before);
        }
    }
}
