package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.FederatedClientId;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KekWait;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.order.OrderKeyStatePage;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the audit reads of each order on Azurite's table: the key protection, identities, stage and
 * health the whole order has, at its ETag, without its unlock key; an order with more user-assigned
 * identities than the selected columns hold is read again whole.
 */
class TableOrdersKeyStatesTest {
    private static final String SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000001";
    private static final String KEY = "https://cmk-states.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef";
    private static final VaultResourceId VAULT =
            new VaultResourceId(SUBSCRIPTION + "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/cmk-states");

    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final TableOrders orders = new TableOrders(Azurite.shared()
            .newTable("keystates")
            .addPolicy(new EarlyContinuation())
            .addPolicy((context, next) -> {
                if (context.getHttpRequest().getHttpMethod() == HttpMethod.GET) {
                    requests.add(
                            URLDecoder.decode(context.getHttpRequest().getUrl().toString(), StandardCharsets.UTF_8));
                }
                return next.process();
            })
            .buildClient());
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void eachOrdersKeyStateIsTheWholeOrdersReadWithoutItsUnlockKey() {
        List<Order> written = List.of(
                create("states-a-microsoft", OrderIdentity.NONE, KeyProtection.MICROSOFT_MANAGED, KeyHealth.UNKNOWN),
                create(
                        "states-b-system",
                        new OrderIdentity(
                                new SystemAssignedIdentity(
                                        UUID.randomUUID().toString(),
                                        tenant.value(),
                                        new UserAssignedIdentityId(identityId("system-backing"))),
                                Map.of()),
                        customerKey(KeyIdentity.SYSTEM_ASSIGNED, true),
                        KeyHealth.accessLost(
                                ErrorCode.SsemUserErrorEncryptionKeyDisabled, "The key is disabled.", now)),
                create(
                        "states-c-federated",
                        identities(1),
                        customerKey(
                                KeyIdentity.userAssigned(
                                        new UserAssignedIdentityId(identityId("user-0")),
                                        new FederatedClientId(UUID.randomUUID().toString())),
                                false),
                        KeyHealth.healthy(now)));
        Order waiting = orders.replace(
                written.get(1)
                        .withKekWait(new KekWait(
                                Stage.DevicePrepared, ErrorCode.SsemUserErrorEncryptionKeyDisabled, "wait", now)),
                new HistoryEntry(now, "wait", "test", "waits for its key"));
        requests.clear();

        OrderKeyStatePage page = orders.listKeyStates(tenant, 10, null, next -> {});
        List<String> queries = List.copyOf(requests);

        assertThat(page.continuation()).isNull();
        assertThat(page.orders())
                .containsExactly(
                        written.get(0).keyState(),
                        waiting.keyState(),
                        written.get(2).keyState());
        assertThat(page.orders())
                .containsExactlyElementsOf(written.stream()
                        .map(order -> orders.find(order.ref()).orElseThrow().keyState())
                        .toList());
        assertThat(queries)
                .singleElement()
                .satisfies(query -> assertThat(query)
                        .contains("$select=PartitionKey,RowKey,Stage")
                        .doesNotContain("WrappedKey")
                        .doesNotContain("Location"));
    }

    @Test
    void anOrderWithMoreUserAssignedIdentitiesThanTheColumnsReadIsReadAgainWhole() {
        int many = OrderEntityMapper.KEY_STATE_USER_IDENTITIES + 2;
        Order crowded = create(
                "states-d-crowded",
                identities(many),
                customerKey(
                        KeyIdentity.userAssigned(new UserAssignedIdentityId(identityId("user-" + (many - 1)))), false),
                KeyHealth.healthy(now));
        Order plain = create(
                "states-e-plain",
                identities(1),
                customerKey(KeyIdentity.userAssigned(new UserAssignedIdentityId(identityId("user-0"))), false),
                KeyHealth.healthy(now));
        requests.clear();

        List<OrderKeyState> states =
                orders.listKeyStates(tenant, 10, null, next -> {}).orders();
        List<String> queries = List.copyOf(requests);

        assertThat(states).containsExactly(crowded.keyState(), plain.keyState());
        assertThat(states.getFirst().identity().userAssigned()).hasSize(many);
        assertThat(states.getFirst()
                        .wrappingIdentityFor(((KeyProtection.CustomerManaged) crowded.protection()).keyIdentity())
                        .isAllowed())
                .isTrue();
        assertThat(queries).hasSize(2);
        assertThat(queries.get(1)).contains("order~states-d-crowded").doesNotContain("$select");
    }

    @Test
    void pagesFollowTheirContinuationAndTellItEarly() {
        for (int i = 0; i < 3; i++) {
            create("states-page-" + i, OrderIdentity.NONE, KeyProtection.MICROSOFT_MANAGED, KeyHealth.UNKNOWN);
        }
        List<String> told = new ArrayList<>();
        OrderKeyStatePage first = orders.listKeyStates(tenant, 2, null, told::add);
        OrderKeyStatePage second = orders.listKeyStates(tenant, 2, first.continuation(), told::add);

        assertThat(first.orders())
                .extracting(state -> state.name().value())
                .containsExactly("states-page-0", "states-page-1");
        assertThat(second.orders()).extracting(state -> state.name().value()).containsExactly("states-page-2");
        assertThat(told).containsExactly(first.continuation(), null);
        assertThat(first.continuation()).isNotNull();
    }

    private Order create(String name, OrderIdentity identity, KeyProtection protection, KeyHealth health) {
        Order order = Order.draft(new OrderRef(tenant, new OrderName(name)), "westus", identity, now)
                .withProtection(protection, new WrappedUnlockKey(KeyUrl.parse(KEY), "RSA-OAEP-256", new byte[256]))
                .withKeyHealth(health);
        return orders.create(order, new HistoryEntry(now, "create", "test", "key states"));
    }

    private static KeyProtection customerKey(KeyIdentity identity, boolean autoRotation) {
        return new KeyProtection.CustomerManaged(KeyUrl.parse(KEY), VAULT, identity, autoRotation);
    }

    private OrderIdentity identities(int count) {
        Map<UserAssignedIdentityId, UserAssignedIdentity> users = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            UserAssignedIdentityId id = new UserAssignedIdentityId(identityId("user-" + i));
            users.put(
                    id,
                    new UserAssignedIdentity(
                            id, UUID.randomUUID().toString(), UUID.randomUUID().toString(), tenant.value()));
        }
        return new OrderIdentity(null, users);
    }

    private static String identityId(String name) {
        return SUBSCRIPTION + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + name;
    }
}
