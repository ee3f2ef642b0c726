package com.databox.cmk.audit;

import java.util.List;

/** One unit of audit work, as queued for the {@code audit-shard} function: a slice of the orders of one run. */
public record AuditShard(String runId, int index, List<String> orderNames) {
    public AuditShard {
        orderNames = List.copyOf(orderNames);
    }
}
