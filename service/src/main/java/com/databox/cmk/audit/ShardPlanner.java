package com.databox.cmk.audit;

import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderNamePage;
import com.databox.cmk.order.Orders;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Starts a run: queues one shard per page of order names, reading names only, page by page. */
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

    /** @return the new run's ID */
    public String start(String trigger) {
        String runId = UUID.randomUUID().toString();
        runs.start(runId, clock.instant(), trigger);
        int index = 0;
        String continuation = null;
        do {
            OrderNamePage page = orders.listNames(shardSize, continuation);
            if (!page.names().isEmpty()) {
                shards.enqueue(new AuditShard(
                        runId,
                        index++,
                        page.names().stream().map(OrderName::value).toList()));
            }
            continuation = page.continuation();
        } while (continuation != null);
        runs.shardsQueued(runId, index);
        LOG.infof("Audit run %s (%s) queued %d shards", runId, trigger, index);
        return runId;
    }
}
