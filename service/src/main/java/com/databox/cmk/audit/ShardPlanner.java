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
import org.jboss.logging.Logger;

/**
 * Starts a run: queues one shard per page of order names (split where the tenant changes, so a
 * shard holds one tenant's orders), reading names only, page by page.
 */
public final class ShardPlanner {
    private static final Logger LOG = Logger.getLogger(ShardPlanner.class);

    private final Orders orders;
    private final AuditRuns runs;
    private final ShardQueue shards;
    private final int shardSize;
    private final Clock clock;

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
        do {
            OrderNamePage page = orders.listNames(tenant, shardSize, continuation);
            Map<TenantId, List<String>> byTenant = new LinkedHashMap<>();
            for (OrderRef ref : page.names()) {
                byTenant.computeIfAbsent(ref.tenant(), t -> new ArrayList<>())
                        .add(ref.name().value());
            }
            for (Map.Entry<TenantId, List<String>> slice : byTenant.entrySet()) {
                shards.enqueue(new AuditShard(runId, index++, slice.getKey().value(), slice.getValue()));
            }
            continuation = page.continuation();
        } while (continuation != null);
        runs.shardsQueued(runId, index);
        LOG.infof("Audit run %s (%s) queued %d shards", runId, trigger, index);
        return runId;
    }
}
