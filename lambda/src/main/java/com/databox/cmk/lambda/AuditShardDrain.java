package com.databox.cmk.lambda;

import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import com.databox.cmk.app.CmkConfig;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.unlockkey.WrappingIdentity;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Vertx;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * On Lambda, the Functions host's queue trigger ({@code audit-shard}) has no counterpart for an
 * Azure Storage queue: a scheduled invocation (template.yaml, {@code AuditShards}) takes the audit's
 * shards from the same queue ({@code cmk.storage.audit-shards-queue}) and audits them in this
 * invocation, until the queue is empty or the time budget is spent. Several invocations may drain at
 * once: a message taken is invisible to the others, and a shard that fails comes back after the
 * visibility timeout, as with the host (given up after {@value #MAX_DEQUEUE} attempts).
 *
 * <p>Only EventBridge calls this route, with the event template.yaml defines: API Gateway forwards
 * nothing but {@code /api/*} to the function, so callers cannot reach it (as on Azure, where the host
 * forwards only the HTTP functions' routes).
 */
@Path("/lambda/audit-shards")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class AuditShardDrain {
    private static final Logger LOG = Logger.getLogger(AuditShardDrain.class);
    private static final Duration VISIBILITY = Duration.ofMinutes(5);
    static final int MAX_DEQUEUE = 5;

    @Inject
    AuditService audits;

    @Inject
    CmkConfig config;

    @Inject
    ManagedIdentityCredentials credentials;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "databox.lambda.shard-drain-budget", defaultValue = "PT4M")
    Duration budget;

    private volatile QueueClient queue;

    @RegisterForReflection
    public record DrainResult(int shardsRun, int shardsFailed, List<String> runs) {}

    @POST
    public DrainResult drain() {
        Instant deadline = Clock.systemUTC().instant().plus(budget);
        QueueClient shards = queue();
        int run = 0;
        int failed = 0;
        java.util.Set<String> runs = new java.util.TreeSet<>();
        while (Clock.systemUTC().instant().isBefore(deadline)) {
            boolean any = false;
            for (QueueMessageItem message : shards.receiveMessages(4, VISIBILITY, null, null)) {
                any = true;
                try {
                    AuditShard shard = json.readValue(message.getBody().toString(), AuditShard.class);
                    runs.add(shard.runId());
                    audits.runShard(shard);
                    shards.deleteMessage(message.getMessageId(), message.getPopReceipt());
                    run++;
                } catch (Exception e) {
                    failed++;
                    LOG.warnf(
                            e,
                            "Audit shard message %s failed (attempt %d)",
                            message.getMessageId(),
                            message.getDequeueCount());
                    if (message.getDequeueCount() >= MAX_DEQUEUE) {
                        shards.deleteMessage(message.getMessageId(), message.getPopReceipt());
                    }
                }
            }
            if (!any) {
                break;
            }
        }
        LOG.infof("Audit shards drained: %d run, %d failed", run, failed);
        return new DrainResult(run, failed, List.copyOf(runs));
    }

    /** The shards queue as the service writes it (Base64 messages), with the service's own credential. */
    private QueueClient queue() {
        QueueClient current = queue;
        if (current == null) {
            CmkConfig.Storage storage = config.storage();
            QueueServiceClientBuilder builder = new QueueServiceClientBuilder()
                    .httpClient(new VertxHttpClientBuilder().vertx(vertx).build())
                    .messageEncoding(QueueMessageEncoding.BASE64);
            storage.connectionString()
                    .filter(s -> !s.isBlank())
                    .ifPresentOrElse(
                            builder::connectionString,
                            () -> builder.endpoint(storage.queueEndpoint()
                                            .filter(s -> !s.isBlank())
                                            .orElseThrow(() -> new IllegalStateException(
                                                    "Set cmk.storage.connection-string or cmk.storage.queue-endpoint")))
                                    .credential(credentials.credential(WrappingIdentity.SERVICE)));
            current = builder.buildClient().getQueueClient(storage.auditShardsQueue());
            current.createIfNotExists();
            queue = current;
        }
        return current;
    }
}
