package com.databox.cmk.audit;

/**
 * A run as its planner wrote it, without its progress: what a shard message is checked against.
 * {@code tenantId}: null for the timer's run of every tenant; {@code shards}: 0 until the run's last page is read.
 */
public record PlannedRun(String runId, String tenantId, int shards) {}
