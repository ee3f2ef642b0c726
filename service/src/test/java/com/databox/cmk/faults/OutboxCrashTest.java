package com.databox.cmk.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.outbox.Outbox;
import com.databox.cmk.outbox.OutboxRelay;
import com.databox.cmk.outbox.OutboxSettings;
import com.databox.cmk.outbox.PendingEvent;
import com.databox.cmk.outbox.PendingEventPage;
import com.databox.cmk.storage.QueueCmkEvents;
import com.databox.cmk.storage.TableOrders;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.FunctionsHost;
import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox across a crash, on Azurite's real table and queue: the process that holds an order before
 * Data Copy is killed ({@code destroyForcibly}) once the table has stored the hold and its event but
 * before it could relay the event; the {@code outbox-relay} timer then delivers it, once, under the id
 * it was written with. A relay whose delete fails after the publish publishes the same id again.
 * Subscribers dedupe by id, so the assertions are on the ids of this test's own orders' events.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class OutboxCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The orders and their outbox, as the app wires them. */
    @Inject
    TableOrders table;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void killedBetweenTheWriteAndItsRelayTheEventStillArrivesOnceUnderItsId() throws Exception {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        order.moveTo("AtAzureDC").then().statusCode(200);
        // No wrapKey: the checks before Data Copy fail and the order is held.
        vault.setPermissions(vault.identity().principalId(), "get", "unwrapKey");
        OrderRef ref = new OrderRef(LocalStack.tenant(), new OrderName(order.name()));

        try (HoldingProxy proxy = new HoldingProxy(Azurite.shared().tablePort(), HoldingProxy.Mode.HOLD_RESPONSE)) {
            Process child = startChild(Azurite.shared().connectionStringWithTablePort(proxy.port()), order.name());
            assertThat(proxy.awaitHeld(60))
                    .as("the child reached the table write")
                    .isTrue();
            assertThat(child.isAlive())
                    .as("the child waits for the write's answer")
                    .isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child died").isTrue();
        }

        order.get()
                .then()
                .body("stageStatus", equalTo("WaitingForCustomerActionForKek"))
                .body("stageError.waitingFor", equalTo("DataCopy"));
        List<PendingEvent> pending = table.pending(ref);
        assertThat(pending)
                .as("the hold's events, stored with it: the wait, and the key health's change")
                .extracting(p -> p.event().type())
                .containsExactlyInAnyOrder(
                        OrderEvent.Type.WaitingForCustomerActionForKek, OrderEvent.Type.KeyAccessLost);
        List<String> ids = pending.stream().map(p -> p.event().id().toString()).toList();

        FunctionsHost.fireTimer("outbox-relay").then().statusCode(200);
        List<JsonNode> delivered = FunctionsHost.takeEventsOf(order.name());
        assertThat(delivered).extracting(e -> e.path("id").asText()).containsExactlyInAnyOrderElementsOf(ids);
        JsonNode event = delivered.stream()
                .filter(e -> e.path("type").asText().equals("DataBox.Cmk.WaitingForCustomerActionForKek"))
                .findFirst()
                .orElseThrow();
        assertThat(event.path("tenantid").asText())
                .isEqualTo(LocalStack.tenant().value());
        assertThat(event.path("data").path("kekUrl").asText()).isEqualTo(vault.keyUrl());
        assertThat(event.path("data").path("errorCode").asText()).isNotEmpty();
        assertThat(table.pending(ref)).as("relayed events leave the outbox").isEmpty();

        FunctionsHost.fireTimer("outbox-relay").then().statusCode(200);
        assertThat(FunctionsHost.takeEventsOf(order.name()))
                .as("a second sweep has nothing of it left")
                .isEmpty();
    }

    @Test
    void aRelayWhoseDeleteFailsAfterThePublishPublishesTheSameIdAgain() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        OrderRef ref = new OrderRef(LocalStack.tenant(), new OrderName(order.name()));
        Order stored = table.find(ref).orElseThrow();
        Instant now = Instant.now();
        OrderEvent lost =
                OrderEvent.accessLost(vault.keyUrl(), ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled", now);
        table.replace(
                stored.withKeyHealth(
                        KeyHealth.accessLost(ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled", now)),
                new HistoryEntry(now, "audit", "outbox-test", "Key health Healthy -> AccessLost"),
                List.of(lost));

        AtomicInteger removals = new AtomicInteger();
        Outbox deleteFails = new Outbox() {
            @Override
            public List<PendingEvent> pending(OrderRef order) {
                return table.pending(order);
            }

            @Override
            public PendingEventPage pending(int top, String continuation) {
                return table.pending(top, continuation);
            }

            @Override
            public void remove(PendingEvent event) {
                removals.incrementAndGet();
                throw new IllegalStateException("the delete's answer was lost");
            }

            @Override
            public java.util.Optional<String> sweepPosition() {
                return table.sweepPosition();
            }

            @Override
            public void saveSweepPosition(String continuation) {
                table.saveSweepPosition(continuation);
            }
        };
        OutboxRelay relay = new OutboxRelay(
                deleteFails, new QueueCmkEvents(FunctionsHost.eventsQueue(), JSON), new OutboxSettings(10, 10));

        assertThatThrownBy(() -> relay.relay(ref, List.of(lost))).hasMessageContaining("answer was lost");
        assertThat(removals).hasValue(1);
        assertThat(table.pending(ref))
                .as("the row stays when its delete failed")
                .hasSize(1);
        FunctionsHost.fireTimer("outbox-relay").then().statusCode(200);

        List<JsonNode> delivered = FunctionsHost.takeEventsOf(order.name());
        assertThat(delivered)
                .extracting(e -> e.path("id").asText())
                .as("published twice, once per relay, under one id")
                .containsExactly(lost.id().toString(), lost.id().toString());
        assertThat(delivered).extracting(JsonNode::toString).doesNotContain(order.password());
        assertThat(table.pending(ref)).isEmpty();
    }

    private Process startChild(String connectionString, String orderName) throws IOException {
        StandaloneServices.Settings settings = StandaloneServices.Settings.of(
                EmulatorTestSupport.shared(),
                connectionString,
                LocalStack.microsoftKeyUrl(),
                LocalStack.KEYVAULT_TIMEOUT.plusSeconds(30));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        command.add(HoldProcess.class.getName());
        command.addAll(settings.toArgs());
        command.add(orderName);
        command.add(LocalStack.tenant().value());
        Path log = Files.createTempFile("hold-child", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        assertThat(builder.environment()).containsKeys("IDENTITY_ENDPOINT", "IDENTITY_HEADER");
        Process child = builder.start();
        children.add(child);
        return child;
    }
}
