package com.databox.cmk.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An audit run as {@code GET /api/audits/{runId}} reports it. {@code tenantId}: the tenant whose
 * orders it audits, the only one that may read it; null for the timer's run of every tenant.
 * {@code lastProgressAt}: when the run last moved on (its start, a shard linking the next page, a
 * shard's result), by the service's clock. {@code notAudited}: the orders among {@code ordersChecked} that got
 * no verdict; {@code unreadable}: the orders, not among them, whose stored rows cannot be read again (see
 * {@link ShardResult}).
 */
public record AuditReport(
        String runId,
        Status status,
        Instant startedAt,
        Instant finishedAt,
        int shards,
        int shardsDone,
        int ordersChecked,
        int healthy,
        int accessLost,
        int rotated,
        int notAudited,
        int unreadable,
        List<Finding> findings,
        String tenantId,
        Instant lastProgressAt) {

    /** A report names at most this many findings, the first by tenant and order name ({@code accessLost} counts them all). */
    public static final int MAX_FINDINGS = 1000;

    /** Whether a shard linked the next one or recorded its result since the run's start. */
    public boolean movedOnSinceStart() {
        return lastProgressAt != null && startedAt != null && lastProgressAt.isAfter(startedAt);
    }

    /** A run just started: running, no shard done, nothing found. */
    public static AuditReport started(String runId, Instant startedAt, String tenantId) {
        return new AuditReport(
                runId, Status.Running, startedAt, null, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), tenantId, startedAt);
    }

    /**
     * The run as judged at {@code now}: a run still running that has not moved on for
     * {@code stalledAfter} never will (its shards' messages were given up after their last delivery, or
     * its start never queued the first), so it is {@link Status#Failed}. A run done stays done.
     */
    public AuditReport judgedAt(Instant now, Duration stalledAfter) {
        if (status != Status.Running || !lastProgressAt.plus(stalledAfter).isBefore(now)) {
            return this;
        }
        return new AuditReport(
                runId,
                Status.Failed,
                startedAt,
                null,
                shards,
                shardsDone,
                ordersChecked,
                healthy,
                accessLost,
                rotated,
                notAudited,
                unreadable,
                findings,
                tenantId,
                lastProgressAt);
    }

    public enum Status {
        Running,
        Succeeded,
        /** Stalled: the run will not finish; what its shards recorded stands. */
        Failed
    }
}
