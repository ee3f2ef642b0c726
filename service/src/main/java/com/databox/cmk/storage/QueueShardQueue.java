package com.databox.cmk.storage;

import com.azure.storage.queue.QueueClient;
import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.audit.ShardQueue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Audit shards on a Storage queue, for the {@code audit-shard} queue-triggered function. The
 * client must encode messages in base64, which the Functions queue trigger expects.
 */
public class QueueShardQueue implements ShardQueue {
    private final QueueClient queue;
    private final ObjectMapper json;
    private final StorageCalls calls;

    public QueueShardQueue(QueueClient queue, ObjectMapper json) {
        this.queue = queue;
        this.json = json;
        this.calls = StorageCalls.forQueue(queue, StorageCalls.RETRY_AFTER);
    }

    @Override
    public void enqueue(AuditShard shard) {
        try {
            String message = json.writeValueAsString(shard);
            calls.run(() -> queue.sendMessage(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An audit shard cannot be written as JSON", e);
        }
    }
}
