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

    public QueueShardQueue(QueueClient queue, ObjectMapper json) {
        this.queue = queue;
        this.json = json;
    }

    @Override
    public void enqueue(AuditShard shard) {
        try {
            queue.sendMessage(json.writeValueAsString(shard));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An audit shard cannot be written as JSON", e);
        }
    }
}
