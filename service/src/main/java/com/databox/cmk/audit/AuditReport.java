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

    public enum Status {
        Running,
        Succeeded
    }
}
