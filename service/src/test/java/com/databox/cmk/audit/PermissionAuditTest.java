package com.databox.cmk.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.emulator.keyvault.RequestCounts;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.FunctionsHost;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.LoggedRecords;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The permission audit end to end: the timer fires, shards go through Azurite's queue to
 * several concurrent "instances" of {@code audit-shard}, health is recorded on the orders
 * and events land on {@code cmk-events}. Other tests' orders live in the same table, so
 * every assertion is about this test's own orders.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class PermissionAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Orders orders;

    @Test
    void revokingAPermissionFlagsExactlyTheAffectedOrdersAndRestoringItClearsThem() throws Exception {
        CustomerKeyVault broken = CustomerKeyVault.create();
        CustomerKeyVault untouched = CustomerKeyVault.create();
        List<CmkOrder> affected = List.of(
                CmkOrder.create().enableUserAssigned(broken),
                CmkOrder.create().enableUserAssigned(broken),
                CmkOrder.create().enableUserAssigned(broken));
        List<CmkOrder> unaffected = List.of(
                CmkOrder.create().enableUserAssigned(untouched),
                CmkOrder.create().enableUserAssigned(untouched));
        FunctionsHost.takeEvents();

        broken.setPermissions(broken.identity().principalId(), "get", "unwrapKey");
        JsonNode report = runAudit();

        for (CmkOrder order : affected) {
            order.get()
                    .then()
                    .body("keyHealth.status", equalTo("AccessLost"))
                    .body("keyHealth.errorCode", equalTo("SsemUserErrorKeyVaultBadRequestException"))
                    .body("keyHealth.lastCheckedAt", notNullValue());
        }
        for (CmkOrder order : unaffected) {
            order.get().then().body("keyHealth.status", equalTo("Healthy"));
        }
        Set<String> findings = namesOf(report.path("findings"));
        assertThat(findings).containsAll(names(affected)).doesNotContainAnyElementsOf(names(unaffected));
        assertThat(report.path("accessLost").asInt()).isGreaterThanOrEqualTo(affected.size());
        assertThat(eventsFor(FunctionsHost.takeEvents(), affected, unaffected))
                .containsExactlyInAnyOrderElementsOf(expected(affected, "DataBox.Cmk.KeyAccessLost"));

        // A second run with nothing changed publishes nothing new.
        runAudit();
        assertThat(eventsFor(FunctionsHost.takeEvents(), affected, unaffected)).isEmpty();

        broken.setPermissions(broken.identity().principalId(), CustomerKeyVault.ALL_KEY_PERMISSIONS);
        runAudit();
        for (CmkOrder order : affected) {
            order.get().then().body("keyHealth.status", equalTo("Healthy"));
            order.assertPasswordKept();
        }
        assertThat(eventsFor(FunctionsHost.takeEvents(), affected, unaffected))
                .containsExactlyInAnyOrderElementsOf(expected(affected, "DataBox.Cmk.KeyAccessRestored"));
    }

    @Test
    void aNewKeyVersionIsPickedUpForVersionlessOrdersWithAFullRewrap() throws Exception {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableFollowingVersions(vault);
        String newVersion = vault.newVersion();
        FunctionsHost.takeEvents();

        JsonNode report = runAudit();

        order.get()
                .then()
                .body("keyEncryptionKey.kekUrl", equalTo(newVersion))
                .body("keyEncryptionKey.autoRotation", equalTo(true));
        assertThat(report.path("rotated").asInt()).isGreaterThanOrEqualTo(1);
        order.assertPasswordKept();
        List<JsonNode> events = FunctionsHost.takeEventsOf(order.name());
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().path("type").asText()).isEqualTo("DataBox.Cmk.KeyVersionRotated");
        assertThat(events.getFirst().path("data").path("kekUrl").asText()).isEqualTo(newVersion);
        assertThat(events.getFirst().path("specversion").asText()).isEqualTo("1.0");
        assertThat(events.getFirst().toString()).doesNotContain(order.password());
    }

    /**
     * 1,000 orders over 10 keys, written straight to the store (the audit reads only their
     * configuration): Key Vault calls follow the distinct (key version, identity) pairs.
     */
    @Test
    void aThousandOrdersOverTenKeysCostAFewDozenKeyVaultCalls() throws Exception {
        CustomerKeyVault vault = CustomerKeyVault.create();
        List<String> keys = new ArrayList<>(List.of(vault.keyUrl()));
        for (int i = 1; i < 10; i++) {
            keys.add(vault.newKey("RSA", 2048));
        }
        UserAssignedIdentity identity = new UserAssignedIdentity(
                new UserAssignedIdentityId(vault.identity().resourceId()),
                vault.identity().principalId(),
                vault.identity().clientId(),
                vault.identity().tenantId());
        String prefix = "bulk-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Order>> writes = IntStream.range(0, 1000)
                    .mapToObj(i -> pool.submit(() -> orders.create(
                            cmkOrder(prefix + i, keys.get(i % keys.size()), identity),
                            new HistoryEntry(Instant.now(), "create", "test", "bulk order"))))
                    .toList();
            for (Future<Order> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }
        CustomerKeyVault.admin().resetRequests(vault.name());

        runAudit();

        RequestCounts calls = CustomerKeyVault.admin().requests(vault.name());
        assertThat(calls.total())
                .as("Key Vault calls for 1,000 orders over 10 key versions: %s", calls)
                .isBetween(30L, 45L);
        assertThat(orders.find(new OrderRef(LocalStack.tenant(), new OrderName(prefix + 7)))
                        .orElseThrow()
                        .keyHealth()
                        .status())
                .isEqualTo(KeyHealth.Status.Healthy);
    }

    @Test
    void aRedeliveredShardMessageIsHarmless() throws Exception {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        FunctionsHost.drainShards(1);
        String runId =
                FunctionsHost.fireTimer().then().statusCode(200).extract().path("ReturnValue");
        var queue = FunctionsHost.shardQueue();
        List<String> messages = new ArrayList<>();
        queue.receiveMessages(32, java.time.Duration.ofMinutes(2), null, null).forEach(m -> {
            messages.add(m.getBody().toString());
            queue.deleteMessage(m.getMessageId(), m.getPopReceipt());
        });
        // A run queues its first shard; each shard queues the next once it has read its page.
        assertThat(messages).hasSize(1);
        FunctionsHost.deliverShard(messages.getFirst()).then().statusCode(200);
        FunctionsHost.drainShards(1);
        JsonNode once = report(runId);
        // Delivered again after the run finished, while the key's access is cut: audited again, the finished
        // run's counts would change and its end move.
        vault.setPermissions(vault.identity().principalId());
        FunctionsHost.deliverShard(messages.getFirst(), "2").then().statusCode(200);
        assertThat(FunctionsHost.drainShards(1))
                .as("the first shard, delivered again, queues no shard: its next one is already queued")
                .isZero();
        JsonNode twice = report(runId);

        assertThat(twice.path("status").asText()).isEqualTo("Succeeded");
        assertThat(twice).isEqualTo(once);
        order.get().then().body("keyHealth.status", equalTo("Healthy"));
    }

    @Test
    void startingAnAuditOverHttpFollowsTheAsynchronousPattern() throws Exception {
        FunctionsHost.drainShards(1);
        Response started = given().post("/api/audits");
        started.then().statusCode(202).header("Retry-After", notNullValue()).body("status", equalTo("Running"));
        // Location is absolute, from the configured public base URL; the test app listens elsewhere.
        String location = java.net.URI.create(started.header("Location")).getPath();
        assertThat(started.header("Location"))
                .isEqualTo("https://databox-cmk.example.net/api/audits/" + started.<String>path("runId"));

        given().get(location)
                .then()
                .statusCode(202)
                .header("Location", notNullValue())
                .header("Retry-After", notNullValue());
        FunctionsHost.drainShards(3);
        given().get(location)
                .then()
                .statusCode(200)
                .body("status", equalTo("Succeeded"))
                .body("finishedAt", notNullValue())
                .body("ordersChecked", notNullValue());
        // A GUID is the same in upper case (RFC 4122): the run is found (it was 404 AuditRunNotFound).
        given().get("/api/audits/{id}", started.<String>path("runId").toUpperCase(java.util.Locale.ROOT))
                .then()
                .statusCode(200)
                .body("runId", equalTo(started.<String>path("runId")));
        given().get("/api/audits/{id}", UUID.randomUUID().toString())
                .then()
                .statusCode(404)
                .body("error.code", equalTo("AuditRunNotFound"));
    }

    /** A tenant's own run, read over HTTP, names each order whose key access was lost as the contract shapes it. */
    @Test
    void aTenantsOwnRunNamesItsLostOrdersInItsReport() throws Exception {
        CustomerKeyVault broken = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(broken);
        broken.setPermissions(broken.identity().principalId(), "get", "unwrapKey");
        FunctionsHost.drainShards(1);
        Response started = given().post("/api/audits");
        started.then().statusCode(202);
        FunctionsHost.drainShards(3);

        String finding = "findings.find { it.orderName == '" + order.name() + "' }";
        given().get("/api/audits/{id}", started.<String>path("runId"))
                .then()
                .statusCode(200)
                .body("status", equalTo("Succeeded"))
                .body(finding + ".errorCode", equalTo("SsemUserErrorKeyVaultBadRequestException"))
                .body(finding + ".message", org.hamcrest.Matchers.containsString("wrapKey"))
                .body(finding + ".resolution", notNullValue())
                .body(
                        finding + ".keySet()",
                        org.hamcrest.Matchers.containsInAnyOrder("orderName", "errorCode", "message", "resolution"));
    }

    /**
     * A run that stopped (its shards' messages given up, its start's first message never queued) ends the
     * asynchronous pattern with an error, as a failed operation does: Logic Apps and generated pollers stop
     * polling instead of waiting for a run that will never finish (before: 202 forever).
     */
    @Test
    void aRunThatStoppedMovingOnAnHourAgoAnswersAuditRunFailedInsteadOfRunningForever() {
        String stopped = UUID.randomUUID().toString();
        Instant started = Instant.now().minus(java.time.Duration.ofMinutes(61));
        auditRuns().start(stopped, started, "http", LocalStack.tenant().value());

        given().get("/api/audits/{id}", stopped)
                .then()
                .statusCode(500)
                .header("Retry-After", org.hamcrest.Matchers.nullValue())
                .body("error.code", equalTo("AuditRunFailed"))
                .body("error.target", equalTo("runId"))
                .body("error.message", org.hamcrest.Matchers.containsString(stopped))
                .body("error.message", org.hamcrest.Matchers.containsString(started.toString()))
                .body("error.resolution", org.hamcrest.Matchers.containsString("POST /api/audits"));

        String recent = UUID.randomUUID().toString();
        auditRuns()
                .start(
                        recent,
                        Instant.now().minus(java.time.Duration.ofMinutes(59)),
                        "http",
                        LocalStack.tenant().value());
        given().get("/api/audits/{id}", recent).then().statusCode(202).body("status", equalTo("Running"));
    }

    /**
     * A stored row the service cannot read again (a hand edit, storage corruption) is counted and logged, and
     * hides no other order: before 2026-12-07 it failed its shard on every delivery, and the run never finished,
     * so an order that lost key access beside it was never found.
     */
    @Test
    void aDamagedRowIsCountedAndHidesNoOtherOrderFromTheAudit() throws Exception {
        CustomerKeyVault broken = CustomerKeyVault.create();
        CustomerKeyVault untouched = CustomerKeyVault.create();
        CmkOrder lost = CmkOrder.create().enableUserAssigned(broken);
        CmkOrder healthy = CmkOrder.create().enableUserAssigned(untouched);
        // Beside the lost order (its name sorts right after it), so that it is on the same page.
        TableEntity damaged = CmkOrder.rawEntity(lost.name());
        String damagedName = lost.name() + "-d";
        TableEntity row = new TableEntity(damaged.getPartitionKey(), "order~" + damagedName);
        damaged.getProperties().entrySet().stream()
                .filter(p -> !List.of("PartitionKey", "RowKey", "Timestamp").contains(p.getKey())
                        && !p.getKey().startsWith("odata."))
                .forEach(p -> row.addProperty(p.getKey(), p.getValue()));
        String notAKeyUrl = "https://hand-edited.example/not-a-key";
        row.addProperty("KekUrl", notAKeyUrl);
        TableClient table = new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("orders")
                .buildClient();
        table.upsertEntity(row);
        try {
            broken.setPermissions(broken.identity().principalId(), "get", "unwrapKey");
            FunctionsHost.takeEvents();

            JsonNode report;
            List<String> errors;
            try (LoggedRecords logged =
                    LoggedRecords.capture(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())) {
                report = runAudit();
                errors = logged.records().stream()
                        .map(r -> r.getMessage() + " " + Arrays.toString(r.getParameters()))
                        .filter(line -> line.contains(damagedName))
                        .toList();
            }

            lost.get()
                    .then()
                    .body("keyHealth.status", equalTo("AccessLost"))
                    .body("keyHealth.errorCode", equalTo("SsemUserErrorKeyVaultBadRequestException"));
            healthy.get().then().body("keyHealth.status", equalTo("Healthy"));
            assertThat(namesOf(report.path("findings"))).contains(lost.name()).doesNotContain(damagedName);
            assertThat(report.path("unreadable").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(eventsFor(FunctionsHost.takeEvents(), List.of(lost), List.of(healthy)))
                    .containsExactly("DataBox.Cmk.KeyAccessLost /orders/" + lost.name());
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst())
                    .contains("KekUrl")
                    .doesNotContain(notAKeyUrl)
                    .doesNotContain(String.valueOf(damaged.getProperty("WrappedKey")));
        } finally {
            // Other tests list this tenant's orders: its list page still answers 500 for a damaged row.
            table.deleteEntity(row.getPartitionKey(), row.getRowKey());
        }
    }

    /** Fires the timer, lets four instances take the shards, and answers the finished report. */
    private static JsonNode runAudit() throws Exception {
        Response fired = FunctionsHost.fireTimer();
        fired.then().statusCode(200).body("Logs", notNullValue());
        String runId = fired.path("ReturnValue");
        FunctionsHost.drainShards(4);
        JsonNode report = report(runId);
        assertThat(report.path("status").asText()).isEqualTo("Succeeded");
        return report;
    }

    /**
     * The timer's run covers every tenant, so no caller may read it over HTTP (issue 12); the test
     * reads it where the app keeps it.
     */
    private static JsonNode report(String runId) {
        var report = auditRuns().report(runId).orElseThrow();
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .findAndRegisterModules()
                .valueToTree(report);
    }

    /** The runs where the app keeps them. */
    private static com.databox.cmk.storage.TableAuditRuns auditRuns() {
        return new com.databox.cmk.storage.TableAuditRuns(new com.azure.data.tables.TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("audits")
                .buildClient());
    }

    private static Order cmkOrder(String name, String kekUrl, UserAssignedIdentity identity) {
        Instant now = Instant.now();
        return Order.draft(
                        new OrderRef(LocalStack.tenant(), new OrderName(name)),
                        "westus",
                        new OrderIdentity(null, Map.of(identity.resourceId(), identity)),
                        now)
                .withProtection(
                        new KeyProtection.CustomerManaged(
                                KeyUrl.parse(kekUrl), null, KeyIdentity.userAssigned(identity.resourceId()), false),
                        new WrappedUnlockKey(KeyUrl.parse(kekUrl), "RSA-OAEP-256", new byte[384]));
    }

    /** The events about these orders, as "type subject". */
    private static List<String> eventsFor(List<String> events, List<CmkOrder> a, List<CmkOrder> b) {
        Set<String> subjects = new java.util.HashSet<>();
        a.forEach(o -> subjects.add("/orders/" + o.name()));
        b.forEach(o -> subjects.add("/orders/" + o.name()));
        return events.stream()
                .filter(e -> subjects.contains(parse(e).path("subject").asText()))
                .map(e -> parse(e).path("type").asText() + " "
                        + parse(e).path("subject").asText())
                .toList();
    }

    private static List<String> expected(List<CmkOrder> orders, String type) {
        return orders.stream().map(o -> type + " /orders/" + o.name()).toList();
    }

    private static Set<String> names(List<CmkOrder> orders) {
        return orders.stream().map(CmkOrder::name).collect(Collectors.toSet());
    }

    /** The report is the stored one, whose findings name their orders by an {@link OrderName}. */
    private static Set<String> namesOf(JsonNode findings) {
        Set<String> names = new java.util.HashSet<>();
        findings.forEach(f -> names.add(f.path("orderName").path("value").asText()));
        return names;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
