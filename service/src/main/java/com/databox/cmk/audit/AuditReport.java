package com.databox.cmk.audit;

import java.time.Instant;
import java.util.List;

/**
 * An audit run as {@code GET /api/audits/{runId}} reports it. {@code tenantId}: the tenant whose
 * orders it audits, the only one that may read it; null for the timer's run of every tenant.
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
        List<Finding> findings,
        String tenantId) {

    /** A run just started: running, no shard done, nothing found. */
    public static AuditReport started(String runId, Instant startedAt, String tenantId) {
        return new AuditReport(runId, Status.Running, startedAt, null, 0, 0, 0, 0, 0, 0, List.of(), tenantId);
    }

    public enum Status {
        Running,
        Succeeded
    }
}
