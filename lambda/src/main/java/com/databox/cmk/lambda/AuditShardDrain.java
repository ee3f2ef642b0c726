package com.databox.cmk.lambda;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.databox.cmk.app.CmkConfig;
import com.databox.cmk.app.QueuedShardAudits;
import com.databox.cmk.app.StorageClients;
import com.databox.cmk.storage.HeldQueueMessage;
import com.databox.cmk.storage.StorageCalls;
import io.quarkus.runtime.annotations.RegisterForReflection;
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
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * On Lambda, the Functions host's queue trigger ({@code audit-shard}) has no counterpart for an
 * Azure Storage queue: a scheduled invocation (template.yaml, {@code AuditShards}) takes the audit's
 * shards from the same queue ({@code cmk.storage.audit-shards-queue}) and audits them in this
 * invocation, until the queue is empty or the time budget is spent. Several invocations may drain at
 * once: a message taken is held invisible to the others while this invocation has it
 * ({@link HeldQueueMessage}), and a shard that fails comes back after the visibility timeout, as with
 * the host ({@link QueuedShardAudits}).
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

    @Inject
    QueuedShardAudits shards;

    @Inject
    CmkConfig config;

    @Inject
    StorageClients storage;

    @ConfigProperty(name = "databox.lambda.shard-drain-budget", defaultValue = "PT4M")
    Duration budget;

    /** The drain's time; a test's own clock runs out of budget part-way through a batch. */
    Clock clock = Clock.systemUTC();

    private volatile QueueClient queue;

    /** {@code shardsLeft}: taken, but the budget ran out before they started; back on the queue at once. */
    @RegisterForReflection
    public record DrainResult(int shardsRun, int shardsFailed, int shardsLeft, List<String> runs) {}

    @POST
    public DrainResult drain() {
        Instant deadline = clock.instant().plus(budget);
        QueueClient shardQueue = queue();
        // As the local dispatcher takes them: a queue missing (never made, or deleted since) is made again.
        StorageCalls calls = StorageCalls.forQueue(shardQueue, StorageCalls.RETRY_AFTER);
        int run = 0;
        int failed = 0;
        int left = 0;
        Set<String> runs = new TreeSet<>();
        while (clock.instant().isBefore(deadline)) {
            // The batch's messages are held from the start: the last waits for the audits of the others.
            List<HeldQueueMessage> batch =
                    calls.call(() -> HeldQueueMessage.receive(shardQueue, 4, HeldQueueMessage.VISIBILITY));
            if (batch.isEmpty()) {
                break;
            }
            for (HeldQueueMessage held : batch) {
                try (held) {
                    // Each shard starts within the budget, so that one taken late cannot run past the
                    // function's timeout: the rest of the batch goes back for the next drain.
                    if (!clock.instant().isBefore(deadline)) {
                        held.giveBack();
                        left++;
                        continue;
                    }
                    QueuedShardAudits.Delivery delivery = shards.audit(held);
                    if (delivery.runId() != null) {
                        runs.add(delivery.runId());
                    }
                    if (delivery.audited()) {
                        run++;
                    } else {
                        failed++;
                    }
                }
            }
        }
        LOG.infof("Audit shards drained: %s run, %s failed, %s left for the next drain", run, failed, left);
        return new DrainResult(run, failed, left, List.copyOf(runs));
    }

    /** The shards queue as the service writes it (Base64 messages), through the service's storage clients. */
    private QueueClient queue() {
        QueueClient current = queue;
        if (current == null) {
            current = storage.queue(config.storage().auditShardsQueue(), QueueMessageEncoding.BASE64);
            queue = current;
        }
        return current;
    }
}
