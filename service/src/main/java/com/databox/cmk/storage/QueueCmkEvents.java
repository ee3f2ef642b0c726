package com.databox.cmk.storage;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.outbox.CmkEvents;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * Events as CloudEvents 1.0 JSON (structured mode) on one queue (the order's tenant's,
 * {@link TenantQueueCmkEvents}), in plain text, which a Logic App's "When a message is available in a queue" trigger reads as is. The
 * {@code id} is the event's own, fixed in the outbox: a message published again carries the same.
 */
public class QueueCmkEvents implements CmkEvents {
    static final String SOURCE = "/databox/cmk";
    /** Storage's "no expiry" time to live. */
    private static final Duration NEVER_EXPIRES = Duration.ofSeconds(-1);

    private final QueueClient queue;
    private final ObjectMapper json;
    private final StorageCalls calls;

    public QueueCmkEvents(QueueClient queue, ObjectMapper json) {
        this.queue = queue;
        this.json = json;
        this.calls = StorageCalls.forQueue(queue, StorageCalls.RETRY_AFTER);
    }

    @Override
    public void publish(CmkEvent event) {
        String message = toCloudEvent(event).toString();
        // Never expiring: the queue's default time to live (7 days) dropped an event no one read in a week.
        calls.run(() -> queue.sendMessageWithResponse(message, null, NEVER_EXPIRES, null, Context.NONE));
    }

    /** A CloudEvent already made (by an earlier release, moved here), sent as it is, never expiring. */
    void publishAsIs(String cloudEvent) {
        calls.run(() -> queue.sendMessageWithResponse(cloudEvent, null, NEVER_EXPIRES, null, Context.NONE));
    }

    ObjectNode toCloudEvent(CmkEvent published) {
        OrderEvent event = published.event();
        String orderName = published.order().name().value();
        ObjectNode cloudEvent = json.createObjectNode()
                .put("specversion", "1.0")
                .put("id", event.id().toString())
                .put("source", SOURCE)
                .put("type", event.type().cloudEventType())
                .put("subject", "/orders/" + orderName)
                // CloudEvents extension attribute: the order's tenant, for subscribers of one tenant.
                .put("tenantid", published.order().tenant().value())
                .put("time", event.time().toString())
                .put("datacontenttype", "application/json");
        ObjectNode data =
                cloudEvent.putObject("data").put("orderName", orderName).put("kekUrl", event.kekUrl());
        if (event.previousKekUrl() != null) {
            data.put("previousKekUrl", event.previousKekUrl());
        }
        if (event.errorCode() != null) {
            data.put("errorCode", event.errorCode().name()).put("message", event.message());
        }
        return cloudEvent;
    }
}
