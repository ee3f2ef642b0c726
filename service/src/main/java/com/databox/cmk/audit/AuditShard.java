package com.databox.cmk.audit;

/**
 * One unit of audit work, as queued for the {@code audit-shard} function: one page of a run's orders.
 * The message names the page only; where the page starts is the run's own record ({@link ShardLink}),
 * so a message can at worst repeat a page that its run already holds.
 */
public record AuditShard(String runId, int index) {}
