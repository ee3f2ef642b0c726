package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueStorageException;
import com.databox.cmk.audit.ShardResult;
import com.databox.cmk.storage.HeldQueueMessage;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.LoggedRecords;
import com.databox.cmk.testing.ShardAuditStub;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The queue trigger's rules where there is no host, against Azurite's queue: delete when audited, retry, then the poison queue. */
class QueuedShardAuditsTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(1);

    private final String runId = UUID.randomUUID().toString();
    private final String queueName = "shards-" + UUID.randomUUID();
    private Vertx vertx;
    private QueueClient queue;
    private QueueClient poison;

    @BeforeEach
    void createQueue() {
        vertx = Vertx.vertx();
        queue = client(queueName);
        poison = client(queueName + QueuedShardAudits.POISON_SUFFIX);
        queue.create();
    }

    @AfterEach
    void deleteQueues() {
        queue.deleteIfExists();
        poison.deleteIfExists();
        vertx.close();
    }

    @Test
    void anAuditedShardIsDeleted() {
        queue.sendMessage("{\"runId\":\"" + runId + "\",\"index\":3}");

        QueuedShardAudits.Delivery delivery = auditOnce(audits(false));

        assertThat(delivery).isEqualTo(new QueuedShardAudits.Delivery(runId, true));
        assertThat(messagesInQueue()).isZero();
    }

    /** The queue's answer to the delete lost (here: the queue gone meanwhile): the shard was audited, not failed. */
    @Test
    void aShardAuditedWhoseMessageCannotBeDeletedCountsAsAudited() {
        queue.sendMessage("{\"runId\":\"" + runId + "\",\"index\":3}");

        QueuedShardAudits.Delivery delivery = auditOnce(audits(queue::delete));

        assertThat(delivery).isEqualTo(new QueuedShardAudits.Delivery(runId, true));
    }

    /**
     * bug bash ob1 F3: a delete that timed out on each of Storage's tries logged the same trace once a try, with the
     * message's pop receipt (which lets its holder delete or change the message) in each; now one line, no stack, no
     * receipt, naming the run and shard.
     */
    @Test
    void aDeleteThatTimesOutOnEveryTryIsOneLineWithoutItsPopReceipt() {
        queue.sendMessage("{\"runId\":\"" + runId + "\",\"index\":3}");
        QueueClient deletesTimeOut = new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName(queueName)
                .messageEncoding(QueueMessageEncoding.BASE64)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 3, 10, 1L, 1L, null))
                .addPolicy((HttpPipelinePolicy) (context, next) -> context.getHttpRequest()
                                        .getHttpMethod()
                                == HttpMethod.DELETE
                        ? Mono.error(new RuntimeException(new TimeoutException("The timeout period of 5000ms has been"
                                + " exceeded while executing DELETE "
                                + context.getHttpRequest().getUrl().getPath()
                                + "?" + context.getHttpRequest().getUrl().getQuery() + " for server 127.0.0.1")))
                        : next.process())
                .buildClient();
        List<HeldQueueMessage> taken = HeldQueueMessage.receive(deletesTimeOut, 1, VISIBILITY);
        assertThat(taken).hasSize(1);

        try (LoggedRecords logged =
                        LoggedRecords.capture(r -> r.getLoggerName().equals(QueuedShardAudits.class.getName()));
                HeldQueueMessage held = taken.getFirst()) {
            assertThat(audits(false).audit(held)).isEqualTo(new QueuedShardAudits.Delivery(runId, true));

            assertThat(logged.records()).singleElement().satisfies(record -> {
                assertThat(record.getThrown()).isNull();
                assertThat(((ExtLogRecord) record).getFormattedMessage())
                        .contains("was audited but not deleted")
                        .contains("run " + runId + ", shard 3")
                        .contains("TimeoutException")
                        .contains("popreceipt=…")
                        .doesNotContain(held.message().getPopReceipt())
                        .doesNotContainPattern("popreceipt=[^…]");
            });
        }
    }

    @Test
    void aShardThatFailsComesBackUntilItsLastAttemptAndThenGoesToThePoisonQueue() throws InterruptedException {
        String shard = "{\"runId\":\"" + runId + "\",\"index\":3}";
        queue.sendMessage(shard);
        QueuedShardAudits failing = audits(true);

        for (int attempt = 1; attempt <= QueuedShardAudits.MAX_DEQUEUE; attempt++) {
            assertThat(auditOnce(failing)).isEqualTo(new QueuedShardAudits.Delivery(runId, false));
            boolean lastAttempt = attempt == QueuedShardAudits.MAX_DEQUEUE;
            assertThat(messagesInQueue()).isEqualTo(lastAttempt ? 0 : 1);
            assertThat(messagesIn(poison)).isEqualTo(lastAttempt ? 1 : 0);
            Thread.sleep(VISIBILITY.plusMillis(300).toMillis());
        }
        // As the host moves it: the message's text as it was queued.
        assertThat(poison.receiveMessages(32).stream().map(m -> m.getBody().toString()))
                .containsExactly(shard);
    }

    /** bb84 F4: the failed shard's lines lead the operator to its audit run, the poison queue's too. */
    @Test
    void aFailedShardsLogLinesNameItsRunAndShard() throws InterruptedException {
        queue.sendMessage("{\"runId\":\"" + runId + "\",\"index\":3}");
        QueuedShardAudits failing = audits(true);

        try (LoggedRecords logged =
                LoggedRecords.capture(r -> r.getLoggerName().equals(QueuedShardAudits.class.getName()))) {
            for (int attempt = 1; attempt <= QueuedShardAudits.MAX_DEQUEUE; attempt++) {
                auditOnce(failing);
                Thread.sleep(VISIBILITY.plusMillis(300).toMillis());
            }
            List<String> lines = logged.records().stream()
                    .map(r -> ((ExtLogRecord) r).getFormattedMessage())
                    .toList();

            assertThat(lines.stream().filter(l -> l.contains("failed (attempt")))
                    .hasSize(QueuedShardAudits.MAX_DEQUEUE)
                    .allMatch(l -> l.contains("run " + runId + ", shard 3"));
            assertThat(lines).anyMatch(l -> l.contains("moved to") && l.contains("run " + runId + ", shard 3"));
            assertThat(logged.records().getFirst().getThrown()).hasMessage("Table Storage did not answer");
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
        return messagesIn(queue);
    }

    /** 0 for a queue not made yet. */
    private static int messagesIn(QueueClient queue) {
        try {
            return queue.getProperties().getApproximateMessagesCount();
        } catch (QueueStorageException e) {
            if (e.getStatusCode() == 404) {
                return 0;
            }
            throw e;
        }
    }

    private QueueClient client(String name) {
        return new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName(name)
                .messageEncoding(QueueMessageEncoding.BASE64)
                .buildClient();
    }

    private QueuedShardAudits audits(boolean failing) {
        return audits(
                failing
                        ? () -> {
                            throw new IllegalStateException("Table Storage did not answer");
                        }
                        : () -> {});
    }

    /** The shard's audit does {@code duringAudit}. */
    private QueuedShardAudits audits(Runnable duringAudit) {
        CmkConfig config = TestCmkConfigs.with(
                Map.of("cmk.storage.connection-string", Azurite.shared().connectionString()));
        QueuedShardAudits audits = new QueuedShardAudits();
        audits.json = ObjectMapper::new;
        audits.storage = TestCmkConfigs.storageClients(config, vertx);
        audits.audits = new ShardAuditStub(shard -> {
            duringAudit.run();
            return new ShardResult(shard.index(), Instant.now(), 0, 0, 0, 0, 0);
        });
        return audits;
    }
}
