package com.databox.cmk.audit;

import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.order.OrderKeyStatePage;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
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

    /** Runs and links remembered: far more than the shards of the runs one instance has in flight. */
    static final int MAX_REMEMBERED = 10_000;

    static final Duration REMEMBERED_IDLE = Duration.ofHours(1);

    /**
     * The runs this instance started and the links it wrote, as written, so that their shards, most
     * often taken by the instance that queued them, check their message without reading the run's
     * record again (two reads a shard, issue 16). Only what never changes once written is used: a
     * run's tenant and where a shard's page starts (not the run's shard count, nor whether a link's
     * message is known to be queued). Any other instance reads the record.
     */
    private final BoundedCache<String, PlannedRun> plannedHere = new BoundedCache<>(MAX_REMEMBERED, REMEMBERED_IDLE);

    private final BoundedCache<String, ShardLink> linkedHere = new BoundedCache<>(MAX_REMEMBERED, REMEMBERED_IDLE);

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
     * @return the new run's report: running, nothing done yet (as its record reads, without reading it)
     */
    public AuditReport start(String trigger, TenantId tenant) {
        return start(UUID.randomUUID().toString(), trigger, tenant);
    }

    /** As {@link #start(String, TenantId)}, the run's ID given. */
    AuditReport start(String runId, String trigger, TenantId tenant) {
        String tenantId = tenant == null ? null : tenant.value();
        // Milliseconds, as the run's record keeps them: the report read later says the same time.
        Instant startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        runs.start(runId, startedAt, trigger, tenantId);
        plannedHere.get(runId, id -> new PlannedRun(id, tenantId, 0));
        remember(runId, new ShardLink(0, null, false));
        queueFirst(runId);
        LOG.infof("Audit run %s (%s) started", runId, trigger);
        return AuditReport.started(runId, startedAt, tenantId);
    }

    /**
     * Queues the run's first shard when its start did not get to (the queue failed, and the release of its
     * claim too): a start retried while the run shows as going on finishes it, instead of answering a run
     * that never moves until it is judged stalled. A run whose first shard is known queued reads one row.
     */
    void queueFirstShardIfNotQueued(String runId) {
        if (runs.shardLink(runId, 0).filter(first -> !first.queued()).isPresent()) {
            LOG.infof("Audit run %s: its first shard was not queued by its start; queuing it", runId);
            queueFirst(runId);
        }
    }

    /**
     * Marked queued once queued, as every later shard's link is: a start retried asks. The mark failing
     * fails no start, whose run goes on: at worst a later start queues the first shard again, which its
     * shard results' idempotence absorbs.
     */
    private void queueFirst(String runId) {
        shards.enqueue(new AuditShard(runId, 0));
        try {
            runs.shardLinkQueued(runId, 0);
        } catch (RuntimeException e) {
            LOG.warnf("Audit run %s: its first shard is queued, but could not be marked so: %s", runId, e.getMessage());
        }
    }

    /** The run's tenant, from memory when this instance started it; its shard count is not to be read here. */
    Optional<PlannedRun> plannedRun(String runId) {
        PlannedRun known =
                plannedHere.get(runId, Objects::nonNull, id -> runs.planned(id).orElse(null));
        return Optional.ofNullable(known);
    }

    /** Where the shard's page starts, from memory when this instance linked it; empty when no shard linked it. */
    Optional<ShardLink> link(String runId, int index) {
        ShardLink known = linkedHere.get(
                runId + "|" + index,
                Objects::nonNull,
                key -> runs.shardLink(runId, index).orElse(null));
        return Optional.ofNullable(known);
    }

    private void remember(String runId, ShardLink link) {
        linkedHere.get(runId + "|" + link.index(), key -> link);
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
        CompletableFuture<Boolean> linked = new CompletableFuture<>();
        // Should the page fail after the store told where the next one starts, the next shard may be
        // queued all the same: this one is redelivered, reads its page again and finds the link made.
        OrderKeyStatePage page = orders.listKeyStates(
                tenant,
                pageSize,
                shard.from(),
                next -> Thread.ofVirtual().start(() -> linkNext(run.runId(), shard.index(), next, linked)));
        return new ShardPage(page.orders(), page.unreadable(), linked);
    }

    private void linkNext(String runId, int index, String next, CompletableFuture<Boolean> linked) {
        try {
            if (next != null) {
                queue(runId, index + 1, next);
            } else {
                runs.shardsQueued(runId, index + 1);
            }
            linked.complete(next == null);
        } catch (RuntimeException | Error e) {
            linked.completeExceptionally(e);
        }
    }

    private void queue(String runId, int index, String from) {
        ShardLink link = runs.linkShard(runId, index, from, clock.instant());
        remember(runId, link);
        if (!link.queued()) {
            shards.enqueue(new AuditShard(runId, index));
            runs.shardLinkQueued(runId, index);
        }
    }
}
