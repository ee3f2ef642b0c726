package com.databox.cmk.audit;

import java.time.Instant;
import java.util.List;

/** An audit run as {@code GET /api/audits/{runId}} reports it. */
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
        List<Finding> findings) {

    public enum Status {
        Running,
        Succeeded
    }
}
