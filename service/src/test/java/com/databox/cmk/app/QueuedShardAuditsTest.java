package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.audit.ShardResult;
import com.databox.cmk.storage.HeldQueueMessage;
import com.databox.cmk.testing.Azurite;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue trigger's rules where there is no host, against Azurite's queue: delete when audited, retry, drop the poison. */
class QueuedShardAuditsTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(1);

    private final String runId = UUID.randomUUID().toString();
    private QueueClient queue;

    @BeforeEach
    void createQueue() {
        queue = new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName("shards-" + UUID.randomUUID())
                .buildClient();
        queue.create();
    }

    @AfterEach
    void deleteQueue() {
        queue.delete();
    }

    @Test
    void anAuditedShardIsDeleted() {
        queue.sendMessage("{\"runId\":\"" + runId + "\",\"index\":3}");

        QueuedShardAudits.Delivery delivery = auditOnce(audits(false));

        assertThat(delivery).isEqualTo(new QueuedShardAudits.Delivery(runId, true));
        assertThat(messagesInQueue()).isZero();
    }

    @Test
    void aShardThatFailsComesBackUntilItsLastAttemptAndIsThenDropped() throws InterruptedException {
        queue.sendMessage("{\"runId\":\"" + runId + "\",\"index\":3}");
        QueuedShardAudits failing = audits(true);

        for (int attempt = 1; attempt <= QueuedShardAudits.MAX_DEQUEUE; attempt++) {
            assertThat(auditOnce(failing)).isEqualTo(new QueuedShardAudits.Delivery(runId, false));
            boolean lastAttempt = attempt == QueuedShardAudits.MAX_DEQUEUE;
            assertThat(messagesInQueue()).isEqualTo(lastAttempt ? 0 : 1);
            Thread.sleep(VISIBILITY.plusMillis(300).toMillis());
        }
    }

    @Test
    void aMessageThatNamesNoShardIsNotAudited() {
        queue.sendMessage("not a shard");

        assertThat(auditOnce(audits(false))).isEqualTo(new QueuedShardAudits.Delivery(null, false));
        assertThat(messagesInQueue()).isEqualTo(1);
    }

    private QueuedShardAudits.Delivery auditOnce(QueuedShardAudits audits) {
        List<HeldQueueMessage> taken = HeldQueueMessage.receive(queue, 1, VISIBILITY);
        assertThat(taken).hasSize(1);
        try (HeldQueueMessage held = taken.getFirst()) {
            return audits.audit(held);
        }
    }

    /** Visible or not (a message let go stays invisible for the rest of its visibility). */
    private int messagesInQueue() {
        return queue.getProperties().getApproximateMessagesCount();
    }

    private static QueuedShardAudits audits(boolean failing) {
        QueuedShardAudits audits = new QueuedShardAudits();
        audits.json = ObjectMapper::new;
        audits.audits =
                new AuditService(null, null, null, null, null, null, 1, Duration.ofHours(1), Clock.systemUTC()) {
                    @Override
                    public ShardResult runShard(AuditShard shard) {
                        if (failing) {
                            throw new IllegalStateException("Table Storage did not answer");
                        }
                        return new ShardResult(shard.index(), Instant.now(), 0, 0, 0, 0);
                    }
                };
        return audits;
    }
}
