package com.databox.cmk.app;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.error.FailuresInLog;
import com.databox.cmk.storage.HeldQueueMessage;
import com.databox.cmk.storage.StorageCalls;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Audits the shard a taken queue message names, by the Functions host's queue-trigger rules, where
 * there is no host (the local profile's dispatcher, the Lambda drain): the message is deleted once
 * its shard is audited; on failure it is let go and comes back after its visibility, and after
 * {@value #MAX_DEQUEUE} deliveries (the host's {@code maxDequeueCount}) it is moved to the queue's
 * poison queue ({@code <queue>-poison}, as the host names it), where an operator finds it.
 */
@ApplicationScoped
public class QueuedShardAudits {
    private static final Logger LOG = Logger.getLogger(QueuedShardAudits.class);
    public static final int MAX_DEQUEUE = 5;
    public static final String POISON_SUFFIX = "-poison";

    @Inject
    AuditService audits;

    /** Where the poison queue is: the service's storage account, as the shards' queue. */
    @Inject
    StorageClients storage;

    /** Per poison queue, made at its first message: a client is a pipeline of its own, not made per message. */
    private final BoundedCache<String, QueueClient> poisonQueues = new BoundedCache<>(4, Duration.ofHours(1));

    /** Looked up at the first shard, so that the start does not build the mapper (FirstRequestWarmUp). */
    @Inject
    Provider<ObjectMapper> json;

    /** What became of one delivery: its audit run (null when the message names no shard), and whether it was audited. */
    public record Delivery(String runId, boolean audited) {}

    /** Audits the shard and deletes the message, or lets it go (to the poison queue at its last attempt). The caller closes {@code held}. */
    public Delivery audit(HeldQueueMessage held) {
        QueueMessageItem message = held.message();
        AuditShard shard = null;
        try {
            shard = json.get().readValue(message.getBody().toString(), AuditShard.class);
            audits.runShard(shard, message.getDequeueCount());
        } catch (Exception e) {
            // The run and shard lead the operator to the audit run whose result is incomplete; the message
            // ID alone leads nowhere once the message is deleted or moved to the poison queue.
            LOG.warnf(
                    FailuresInLog.trimmed(e),
                    "Audit shard message %s (%s) failed (attempt %s)",
                    message.getMessageId(),
                    named(shard),
                    message.getDequeueCount());
            if (message.getDequeueCount() >= MAX_DEQUEUE) {
                moveToPoison(held, shard);
            }
            return new Delivery(shard == null ? null : shard.runId(), false);
        }
        try {
            held.delete();
        } catch (RuntimeException e) {
            // Audited all the same: the message comes back and its shard is audited again (its results
            // are idempotent), never to the poison queue for a delete that failed. No stack: the delete's frames are
            // the queue client's, once per retry of it (bug bash ob1 F3).
            LOG.warnf(
                    "Audit shard message %s (%s) was audited but not deleted; it comes back: %s",
                    message.getMessageId(), named(shard), FailuresInLog.described(e));
        }
        return new Delivery(shard.runId(), true);
    }

    /** The shard as its log lines name it; a message that names no shard says so. */
    private static String named(AuditShard shard) {
        return shard == null ? "names no shard" : "run " + shard.runId() + ", shard " + shard.index();
    }

    /** Sent to the poison queue, then deleted: a send that fails leaves it to come back once more. */
    private void moveToPoison(HeldQueueMessage held, AuditShard shard) {
        QueueMessageItem message = held.message();
        String poison = held.queueName() + POISON_SUFFIX;
        try {
            QueueClient queue = poisonQueues.get(poison, name -> storage.queue(name, QueueMessageEncoding.BASE64));
            StorageCalls.forQueue(queue, StorageCalls.RETRY_AFTER).run(() -> queue.sendMessage(message.getBody()));
            held.delete();
            LOG.warnf(
                    "Audit shard message %s (%s) moved to %s after %s attempts",
                    message.getMessageId(), named(shard), poison, message.getDequeueCount());
        } catch (RuntimeException e) {
            LOG.warnf(
                    FailuresInLog.trimmed(e),
                    "Could not move audit shard message %s (%s) to %s",
                    message.getMessageId(),
                    named(shard),
                    poison);
        }
    }
}
