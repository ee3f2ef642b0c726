package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.testing.Azurite;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two tenants' events on Azurite: each lands on its tenant's own queue, which the service creates on the
 * tenant's first event. A subscriber of one tenant reads nothing of the other's (on one shared queue it
 * received them, and took them from the other).
 */
class TenantQueueCmkEventsTest {
    private final String prefix = "evt" + UUID.randomUUID().toString().substring(0, 8);
    private final TenantQueueCmkEvents events = new TenantQueueCmkEvents(
            prefix,
            name -> new QueueClientBuilder()
                    .connectionString(Azurite.shared().connectionString())
                    .queueName(name)
                    .messageEncoding(QueueMessageEncoding.NONE)
                    .buildClient(),
            new ObjectMapper());

    private static TenantId newTenant() {
        return new TenantId(UUID.randomUUID().toString());
    }

    private com.azure.storage.queue.QueueClient queueOf(TenantId tenant) {
        return new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName(TenantQueueCmkEvents.queueName(prefix, tenant))
                .messageEncoding(QueueMessageEncoding.NONE)
                .buildClient();
    }

    private List<String> messagesOf(TenantId tenant) {
        var queue = queueOf(tenant);
        List<String> messages = new ArrayList<>();
        queue.receiveMessages(32, Duration.ofSeconds(30), null, null)
                .forEach(m -> messages.add(m.getBody().toString()));
        return messages;
    }

    /**
     * What a release before 2026-12-04 left unread on the one queue every tenant shared (named the prefix) is moved
     * to each tenant's queue, never expiring; a message naming no tenant stays (upgrades bash F3: they stayed where no
     * tenant may read, and expired after 7 days).
     */
    @Test
    void eventsAnEarlierReleaseLeftOnTheSharedQueueGoToTheirTenantsQueues() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        var shared = new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName(prefix)
                .messageEncoding(QueueMessageEncoding.NONE)
                .buildClient();
        shared.create();
        String held = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                + "\",\"source\":\"/databox/cmk\",\"type\":\"DataBox.Cmk.WaitingForCustomerActionForKek\","
                + "\"subject\":\"/orders/held-a\",\"tenantid\":\"" + a.value()
                + "\",\"data\":{\"orderName\":\"held-a\"}}";
        shared.sendMessage(held);
        shared.sendMessage(held.replace(a.value(), b.value()).replace("held-a", "held-b"));
        shared.sendMessage("{\"specversion\":\"1.0\",\"subject\":\"/orders/nobody\"}");
        shared.sendMessage(held.replace("/databox/cmk", "/somebody/else"));

        assertThat(events.deliverLeftBehind(100)).isEqualTo(2);

        assertThat(queueOf(a).peekMessage().getExpirationTime().getYear())
                .as("never expires")
                .isEqualTo(9999);
        assertThat(messagesOf(a)).containsExactly(held);
        assertThat(messagesOf(b)).singleElement().asString().contains("held-b");
        assertThat(shared.getProperties().getApproximateMessagesCount()).isEqualTo(2);
        assertThat(events.deliverLeftBehind(100))
                .as("the rest held: found empty")
                .isZero();
        shared.sendMessage(held);
        assertThat(events.deliverLeftBehind(100))
                .as("found empty: not asked again for a while")
                .isZero();
    }

    /**
     * On a deployment that never had the shared queue (every one since 2026-12-04) the move finds it missing, quietly:
     * a receive from it threw (wrapped), every minute, with an ERROR and a WARN (identifiers bash F2; the bash's test).
     */
    @Test
    void aSharedQueueThatWasNeverMadeIsFoundMissingNotAFailure() {
        assertThatCode(() -> events.deliverLeftBehind(100)).doesNotThrowAnyException();
        assertThat(events.deliverLeftBehind(100)).isZero();
    }

    @Test
    void eachTenantsEventsLandOnItsOwnQueueOnly() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        Instant now = Instant.parse("2026-12-04T06:00:00Z");

        events.publish(new CmkEvent(
                new OrderRef(a, new OrderName("order-a")),
                OrderEvent.accessRestored("https://a.vault.azure.net/keys/k/1", now)));
        events.publish(new CmkEvent(
                new OrderRef(b, new OrderName("order-b")),
                OrderEvent.accessRestored("https://b.vault.azure.net/keys/k/1", now)));
        events.publish(new CmkEvent(
                new OrderRef(b, new OrderName("order-b2")),
                OrderEvent.accessRestored("https://b.vault.azure.net/keys/k/1", now)));

        assertThat(TenantQueueCmkEvents.queueName(prefix, a))
                .matches("[a-z0-9]+(-[a-z0-9]+)*")
                .hasSizeLessThanOrEqualTo(63);
        assertThat(queueOf(a).peekMessage().getExpirationTime().getYear())
                .as("never expires")
                .isEqualTo(9999);
        assertThat(messagesOf(a)).singleElement().asString().contains("order-a").doesNotContain("order-b");
        assertThat(messagesOf(b)).hasSize(2).allMatch(m -> m.contains(b.value()) && !m.contains("order-a"));
    }

    /**
     * API.md "Events": an event of lost access carries `errorCode` and `message` in its data, beside `orderName` and
     * `kekUrl`; the subscriber's Logic App tells the customer what to fix from them.
     */
    @Test
    void anEventOfLostAccessCarriesItsErrorCodeAndMessage() throws Exception {
        TenantId a = newTenant();
        events.publish(new CmkEvent(
                new OrderRef(a, new OrderName("order-lost")),
                OrderEvent.accessLost(
                        "https://a.vault.azure.net/keys/k/1",
                        ErrorCode.SsemUserErrorEncryptionKeyDisabled,
                        "The key is disabled.",
                        Instant.parse("2026-12-04T06:00:00Z"))));

        var event = new ObjectMapper().readTree(messagesOf(a).getFirst());
        assertThat(event.path("type").asText()).isEqualTo("DataBox.Cmk.KeyAccessLost");
        assertThat(event.path("subject").asText()).isEqualTo("/orders/order-lost");
        assertThat(event.path("data").path("orderName").asText()).isEqualTo("order-lost");
        assertThat(event.path("data").path("errorCode").asText()).isEqualTo("SsemUserErrorEncryptionKeyDisabled");
        assertThat(event.path("data").path("message").asText()).isEqualTo("The key is disabled.");
    }
}
