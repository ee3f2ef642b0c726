package com.databox.cmk.storage;

import com.azure.storage.queue.QueueClient;
import com.databox.cmk.audit.CmkEvent;
import com.databox.cmk.audit.CmkEvents;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * Events as CloudEvents 1.0 JSON (structured mode) on the {@code cmk-events} queue, in plain
 * text, which a Logic App's "When a message is available in a queue" trigger reads as is.
 */
public class QueueCmkEvents implements CmkEvents {
    static final String SOURCE = "/databox/cmk";

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
        calls.run(() -> queue.sendMessage(message));
    }

    ObjectNode toCloudEvent(CmkEvent event) {
        ObjectNode cloudEvent = json.createObjectNode()
                .put("specversion", "1.0")
                .put("id", UUID.randomUUID().toString())
                .put("source", SOURCE)
                .put("type", event.type().cloudEventType())
                .put("subject", "/orders/" + event.orderName())
                // CloudEvents extension attribute: the order's tenant, for subscribers of one tenant.
                .put("tenantid", event.tenantId())
                .put("time", event.time().toString())
                .put("datacontenttype", "application/json");
        ObjectNode data =
                cloudEvent.putObject("data").put("orderName", event.orderName()).put("kekUrl", event.kekUrl());
        if (event.previousKekUrl() != null) {
            data.put("previousKekUrl", event.previousKekUrl());
        }
        if (event.errorCode() != null) {
            data.put("errorCode", event.errorCode()).put("message", event.message());
        }
        return cloudEvent;
    }
}
