package com.databox.cmk.audit;

import java.time.Duration;

/**
 * @param shardSize orders per shard: one page read, one queue message, one {@code audit-shard} invocation (1 to 1,000)
 * @param concurrency orders audited at once within a shard; an order waiting for another's proof of its pair, or for
 *     its identity's lookup, does not count
 * @param pairWait how long a shard waits for another shard's proof of a pair before proving it itself
 * @param stalledAfter how long a run may go without moving on before it is reported failed: longer than a shard's
 *     deliveries take together (the queue's visibility timeout times its dequeue count), so that a shard still
 *     being retried is not taken for given up
 */
public record AuditSettings(int shardSize, int concurrency, Duration pairWait, Duration stalledAfter) {
    public AuditSettings {
        if (stalledAfter.isNegative() || stalledAfter.isZero()) {
            throw new IllegalArgumentException("cmk.audit.stalled-after must be positive, not " + stalledAfter);
        }
    }
}
