package com.databox.cmk.audit;

import com.databox.cmk.order.OrderNamePage;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.TenantId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Starts a run: queues one shard per {@code shardSize} order names (split where the tenant changes,
 * so a shard holds one tenant's orders), reading names only, page by page.
 */
public final class ShardPlanner {
    private static final Logger LOG = Logger.getLogger(ShardPlanner.class);

    private final Orders orders;
    private final AuditRuns runs;
    private final ShardQueue shards;
    private final int shardSize;
    private final Clock clock;

    /** Order names read at once when planning (Table Storage returns at most 1,000 a page). */
    static final int NAMES_PER_READ = 1000;

    public ShardPlanner(Orders orders, AuditRuns runs, ShardQueue shards, int shardSize, Clock clock) {
        this.orders = orders;
        this.runs = runs;
        this.shards = shards;
        this.shardSize = shardSize;
        this.clock = clock;
    }

    /**
     * @param tenant the tenant whose orders to audit, or null for every tenant's (the timer's run)
     * @return the new run's ID
     */
    public String start(String trigger, TenantId tenant) {
        String runId = UUID.randomUUID().toString();
        runs.start(runId, clock.instant(), trigger, tenant == null ? null : tenant.value());
        int index = 0;
        String continuation = null;
        // Starting a run is a request: 100k orders are 400 shards, which one read and one send each,
        // one after the other, took longer than a client waits. So: a few shards' names per read,
        // and a page's shards sent at once.
        int namesPerRead = Math.max(shardSize, (NAMES_PER_READ / shardSize) * shardSize);
        do {
            OrderNamePage page = orders.listNames(tenant, namesPerRead, continuation);
            Map<TenantId, List<String>> byTenant = new LinkedHashMap<>();
            for (OrderRef ref : page.names()) {
                byTenant.computeIfAbsent(ref.tenant(), t -> new ArrayList<>())
                        .add(ref.name().value());
            }
            List<AuditShard> pageShards = new ArrayList<>();
            for (Map.Entry<TenantId, List<String>> slice : byTenant.entrySet()) {
                List<String> names = slice.getValue();
                for (int from = 0; from < names.size(); from += shardSize) {
                    pageShards.add(new AuditShard(
                            runId,
                            index++,
                            slice.getKey().value(),
                            names.subList(from, Math.min(names.size(), from + shardSize))));
                }
            }
            enqueueAll(pageShards);
            continuation = page.continuation();
        } while (continuation != null);
        runs.shardsQueued(runId, index);
        LOG.infof("Audit run %s (%s) queued %d shards", runId, trigger, index);
        return runId;
    }

    private void enqueueAll(List<AuditShard> pageShards) {
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sent = new ArrayList<>();
            for (AuditShard shard : pageShards) {
                sent.add(senders.submit(() -> shards.enqueue(shard)));
            }
            for (Future<?> one : sent) {
                Futures.join(one);
            }
        }
    }
}
