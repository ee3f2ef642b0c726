package com.databox.cmk.audit;

import com.databox.cmk.order.OrderKeyStatePage;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.TenantId;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Splits a run into shards of one page of orders each, as it goes: starting a run queues its first
 * shard, and each shard, as it reads its page, queues the next one from the page's continuation
 * while it audits its own, and is done only once it has. So the orders are read once, page by page,
 * while the shards' audits go on alongside; no one reads the run's names ahead or holds them, and
 * starting a run takes the same time for ten orders or a million.
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
        // No shard links the first one, so no redelivery asks whether it was queued.
        shards.enqueue(new AuditShard(runId, 0));
        LOG.infof("Audit run %s (%s) started", runId, trigger);
        return runId;
    }

    /**
     * Reads the shard's page and queues the shard of the next page, or records the run's shard count
     * when this page is its last. The store tells where the next page starts as soon as it knows,
     * before this page's orders are parsed: the next shard is queued meanwhile, so that the next page
     * is read while this one is parsed and audited. The page is handed over once parsed, whether or not
     * the next shard is queued by then; its caller waits for that before it records the shard done.
     */
    ShardPage takePage(PlannedRun run, ShardLink shard) {
        TenantId tenant = run.tenantId() == null ? null : new TenantId(run.tenantId());
        CompletableFuture<Void> linked = new CompletableFuture<>();
        // Should the page fail after the store told where the next one starts, the next shard may be
        // queued all the same: this one is redelivered, reads its page again and finds the link made.
        OrderKeyStatePage page = orders.listKeyStates(
                tenant,
                pageSize,
                shard.from(),
                next -> Thread.ofVirtual().start(() -> linkNext(run.runId(), shard.index(), next, linked)));
        return new ShardPage(page.orders(), linked);
    }

    private void linkNext(String runId, int index, String next, CompletableFuture<Void> linked) {
        try {
            if (next != null) {
                queue(runId, index + 1, next);
            } else {
                runs.shardsQueued(runId, index + 1);
            }
            linked.complete(null);
        } catch (RuntimeException | Error e) {
            linked.completeExceptionally(e);
        }
    }

    private void queue(String runId, int index, String from) {
        if (!runs.linkShard(runId, index, from).queued()) {
            shards.enqueue(new AuditShard(runId, index));
            runs.shardLinkQueued(runId, index);
        }
    }
}
