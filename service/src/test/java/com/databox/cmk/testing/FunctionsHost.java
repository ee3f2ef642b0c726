package com.databox.cmk.testing;

import static io.restassured.RestAssured.given;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.storage.TenantQueueCmkEvents;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the Azure Functions host for the non-HTTP functions, as a custom handler sees it:
 * POSTs {@code /{functionName}} with {@code {"Data":…,"Metadata":…}}. Queue messages are
 * taken from Azurite's real queue and handed to {@code audit-shard} by several "instances"
 * at once; a message is deleted only after a 200, as the host does.
 */
public final class FunctionsHost {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SHARD_QUEUE = "cmk-audit-shards";
    public static final String EVENTS_QUEUE = "cmk-events";

    private FunctionsHost() {}

    public static QueueClient shardQueue() {
        return queue(SHARD_QUEUE, QueueMessageEncoding.BASE64);
    }

    /** The events queue of the tests' tenant ({@link LocalStack#tenant()}). */
    public static QueueClient eventsQueue() {
        return eventsQueue(LocalStack.tenant());
    }

    public static QueueClient eventsQueue(TenantId tenant) {
        return queue(TenantQueueCmkEvents.queueName(EVENTS_QUEUE, tenant), QueueMessageEncoding.NONE);
    }

    private static QueueClient queue(String name, QueueMessageEncoding encoding) {
        QueueClient queue = new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName(name)
                .messageEncoding(encoding)
                .buildClient();
        queue.createIfNotExists();
        return queue;
    }

    /** Fires the permission audit's timer; answers its invocation response. */
    public static Response fireTimer() {
        return fireTimer("permission-audit");
    }

    /** Fires the timer function {@code name}; answers its invocation response. */
    public static Response fireTimer(String name) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("Data")
                .putObject("timer")
                .put("IsPastDue", false)
                .putObject("ScheduleStatus")
                .put("Last", "2026-11-28T20:00:00Z")
                .put("Next", "2026-11-28T21:00:00Z");
        body.putObject("Metadata").put("sys", "{\"MethodName\":\"" + name + "\"}");
        return given().contentType(ContentType.JSON).body(body.toString()).post("/" + name);
    }

    /** Invokes {@code audit-shard} with one queue message, as the host's queue trigger does at its first delivery. */
    public static Response deliverShard(String messageText) {
        return deliverShard(messageText, "1");
    }

    /** As {@link #deliverShard(String)}, the message's {@code dequeueCount}-th delivery (the host sends it as text). */
    public static Response deliverShard(String messageText, String dequeueCount) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("Data").put("shard", messageText);
        body.putObject("Metadata").put("DequeueCount", dequeueCount).put("QueueName", SHARD_QUEUE);
        return given().contentType(ContentType.JSON).body(body.toString()).post("/audit-shard");
    }

    /**
     * Takes every shard message from the queue and delivers each with {@code instances}
     * concurrent workers until the queue is empty; answers how many messages were delivered.
     */
    public static int drainShards(int instances) throws Exception {
        QueueClient queue = shardQueue();
        AtomicInteger delivered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                workers.add(pool.submit(() -> {
                    while (true) {
                        List<QueueMessageItem> messages = new ArrayList<>();
                        queue.receiveMessages(1, Duration.ofMinutes(2), null, null)
                                .forEach(messages::add);
                        if (messages.isEmpty()) {
                            return null;
                        }
                        for (QueueMessageItem message : messages) {
                            Response response = deliverShard(message.getBody().toString());
                            if (response.statusCode() != 200) {
                                throw new AssertionError(
                                        "audit-shard answered " + response.statusCode() + ": " + response.asString());
                            }
                            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                            delivered.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return delivered.get();
    }

    /** Every event message now on the tests' tenant's events queue, taken off the queue, as JSON text. */
    public static List<String> takeEvents() {
        return takeEvents(LocalStack.tenant());
    }

    /** The events about {@code orderName} now on the tests' tenant's events queue (all taken off it), as JSON. */
    public static List<JsonNode> takeEventsOf(String orderName) {
        String subject = "/orders/" + orderName;
        return takeEvents().stream()
                .map(FunctionsHost::parse)
                .filter(e -> subject.equals(e.path("subject").asText()))
                .toList();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not an event: " + json, e);
        }
    }

    /** Every event message now on {@code tenant}'s events queue, taken off the queue, as JSON text. */
    public static List<String> takeEvents(TenantId tenant) {
        QueueClient queue = eventsQueue(tenant);
        List<String> events = new ArrayList<>();
        while (true) {
            List<QueueMessageItem> batch = new ArrayList<>();
            queue.receiveMessages(32, Duration.ofSeconds(30), null, null).forEach(batch::add);
            if (batch.isEmpty()) {
                return events;
            }
            for (QueueMessageItem message : batch) {
                events.add(message.getBody().toString());
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            }
        }
    }
}
