package com.databox.cmk.audit;

import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderPage;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.TenantId;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Splits a run into shards of one page of orders each, as it goes: starting a run queues its first
 * shard, and each shard, once it has read its page, queues the next one from the page's continuation
 * before it audits its own. So the orders are read once, page by page, while the shards' audits go on
 * alongside; no one reads the run's names ahead or holds them, and starting a run takes the same time
 * for ten orders or a million.
 *
 * <p>Queues deliver at least once: a shard delivered again finds its next shard linked already and
 * queues it only if the first delivery died before it was queued (then at worst twice, which the
 * shard results' idempotence absorbs).
 */
public final class ShardPlanner {
    private static final Logger LOG = Logger.getLogger(ShardPlanner.class);

    private final Orders orders;
    private final AuditRuns runs;
    private final ShardQueue shards;
    private final int pageSize;
    private final Clock clock;

    static final int MAX_PAGE = 1000;

    /** @param pageSize orders per shard: one page read each (Table Storage returns at most 1,000 a page) */
    public ShardPlanner(Orders orders, AuditRuns runs, ShardQueue shards, int pageSize, Clock clock) {
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw new IllegalArgumentException(
                    "cmk.audit.shard-size must be 1 to " + MAX_PAGE + " (a Table Storage page), not " + pageSize);
        }
        this.orders = orders;
        this.runs = runs;
        this.shards = shards;
        this.pageSize = pageSize;
        this.clock = clock;
    }

    /**
     * @param tenant the tenant whose orders to audit, or null for every tenant's (the timer's run)
     * @return the new run's ID
     */
    public String start(String trigger, TenantId tenant) {
        String runId = UUID.randomUUID().toString();
        runs.start(runId, clock.instant(), trigger, tenant == null ? null : tenant.value());
        queue(runId, 0, null);
        LOG.infof("Audit run %s (%s) started", runId, trigger);
        return runId;
    }

    /**
     * Reads the shard's page and, before handing it over, queues the shard of the next page, or
     * records the run's shard count when this page is its last.
     */
    List<Order> takePage(PlannedRun run, ShardLink shard) {
        TenantId tenant = run.tenantId() == null ? null : new TenantId(run.tenantId());
        OrderPage page = orders.list(tenant, pageSize, shard.from());
        if (page.continuation() != null) {
            queue(run.runId(), shard.index() + 1, page.continuation());
        } else {
            runs.shardsQueued(run.runId(), shard.index() + 1);
        }
        return page.orders();
    }

    private void queue(String runId, int index, String from) {
        if (!runs.linkShard(runId, index, from).queued()) {
            shards.enqueue(new AuditShard(runId, index));
            runs.shardLinkQueued(runId, index);
        }
    }
}
