package com.databox.cmk.audit;

import java.util.List;

/**
 * One unit of audit work, as queued for the {@code audit-shard} function: a slice of the orders of
 * one run, all of one tenant.
 */
public record AuditShard(String runId, int index, String tenantId, List<String> orderNames) {
    public AuditShard {
        orderNames = List.copyOf(orderNames);
    }
}
