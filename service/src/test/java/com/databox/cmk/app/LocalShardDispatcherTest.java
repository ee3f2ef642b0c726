package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.audit.ShardResult;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.ShardAuditStub;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local profile's dispatcher against Azurite's queue: a shard that runs longer than its visibility is held. */
class LocalShardDispatcherTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(2);
    /** Three visibilities: a shard not held would be taken again twice meanwhile. */
    private static final Duration SHARD_TAKES = VISIBILITY.multipliedBy(3);

    private final String queueName = "shards-" + UUID.randomUUID();
    private final List<AuditShard> delivered = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private QueueClient queue;
    private LocalShardDispatcher dispatcher;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        queue = new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName(queueName)
                .messageEncoding(QueueMessageEncoding.BASE64)
                .buildClient();
        queue.create();
        CmkConfig config = config();
        dispatcher = new LocalShardDispatcher();
        dispatcher.config = config;
        dispatcher.storage = TestCmkConfigs.storageClients(config, vertx);
        dispatcher.shards = new QueuedShardAudits();
        dispatcher.shards.storage = dispatcher.storage;
        dispatcher.shards.audits = new ShardAuditStub(this::slowAudit);
        dispatcher.shards.json = ObjectMapper::new;
        dispatcher.shardsQueued = new ShardsQueuedHere();
        dispatcher.visibility = VISIBILITY;
    }

    @AfterEach
    void stop() {
        dispatcher.onStop(new ShutdownEvent());
        queue.delete();
        vertx.close();
    }

    @Test
    void aShardThatRunsLongerThanItsVisibilityIsAuditedOnceAndThenDeleted() throws InterruptedException {
        String runId = UUID.randomUUID().toString();
        queue.sendMessage("{\"runId\":\"" + runId + "\",\"index\":0}");
        dispatcher.onStart(new StartupEvent());
        dispatcher.shardsQueued.queued();

        Thread.sleep(SHARD_TAKES.plus(VISIBILITY).plusSeconds(1).toMillis());

        assertThat(delivered).containsExactly(new AuditShard(runId, 0));
        assertThat(queue.peekMessages(32, null, null).stream().toList()).isEmpty();
    }

    /** Records the shard and takes {@link #SHARD_TAKES} to audit it. */
    private ShardResult slowAudit(AuditShard shard) {
        delivered.add(shard);
        try {
            Thread.sleep(SHARD_TAKES.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ShardResult(shard.index(), Instant.now(), 0, 0, 0, 0, 0);
    }

    private CmkConfig config() {
        return TestCmkConfigs.with(Map.of(
                "cmk.audit.local-queue-dispatch",
                "true",
                "cmk.storage.audit-shards-queue",
                queueName,
                "cmk.storage.connection-string",
                Azurite.shared().connectionString()));
    }
}
