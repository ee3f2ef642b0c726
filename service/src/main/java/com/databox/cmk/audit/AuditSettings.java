package com.databox.cmk.audit;

import java.time.Duration;

/**
 * @param shardSize orders per shard: one page read, one queue message, one {@code audit-shard} invocation (1 to 1,000)
 * @param concurrency orders audited at once within a shard; an order waiting for another's proof of its pair, or for
 *     its identity's lookup, does not count
 * @param pairWait how long a shard waits for another shard's proof of a pair before proving it itself
 */
public record AuditSettings(int shardSize, int concurrency, Duration pairWait) {}
