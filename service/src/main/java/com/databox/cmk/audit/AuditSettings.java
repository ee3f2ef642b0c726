package com.databox.cmk.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * @param shardSize orders per shard: one page read, one queue message, one {@code audit-shard} invocation (1 to 1,000)
 * @param concurrency orders audited at once within a shard; an order waiting for another's proof of its pair, or for
 *     its identity's lookup, does not count
 * @param shardsAtOnce shards one instance audits at once, however many are handed to it: each holds its page of
 *     orders in memory, and the instance's heap is sized for this many (a shard handed over beyond them waits)
 * @param pairWait how long a shard waits for another shard's proof of a pair before proving it itself
 * @param stalledAfter how long a run may go without moving on before it is reported failed: longer than a shard's
 *     deliveries take together (the queue's visibility timeout times its dequeue count), so that a shard still
 *     being retried is not taken for given up
 * @param retention how long a run is kept after its start ({@link AuditRetention}): a day at least, far longer
 *     than any run takes (a run of 100,000 orders takes minutes; one that has not moved on for {@code stalledAfter}
 *     is over), so that no run still going on is deleted
 * @param directoryLookupsAtOnce the audit's Resource Manager identity lookups at once on one instance, all its runs
 *     and shards together (a lookup beyond them waits for one to end): a quarter of {@code
 *     cmk.identity.arm.max-waiting-requests}, which counts the requests' lookups too, so that the audit never takes
 *     that whole bound (bug bash nn1, F3)
 */
public record AuditSettings(
        int shardSize,
        int concurrency,
        int shardsAtOnce,
        Duration pairWait,
        Duration stalledAfter,
        Duration retention,
        int directoryLookupsAtOnce) {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration MIN_RETENTION = Duration.ofDays(1);
    public static final int DEFAULT_SHARDS_AT_ONCE = 4;

    /** A quarter of Resource Manager's default bound on calls waiting (64). */
    public static final int DEFAULT_DIRECTORY_LOOKUPS_AT_ONCE = 16;

    /** Table Storage answers at most 1,000 entities a page, and a shard is one page. */
    public static final int MAX_SHARD_SIZE = 1000;

    /** Every rule broken is named at once (bug bash bb95 L4: the first stopped the start, hiding the others). */
    public AuditSettings {
        List<String> problems = new ArrayList<>();
        if (shardSize < 1 || shardSize > MAX_SHARD_SIZE) {
            problems.add("cmk.audit.shard-size must be from 1 to " + MAX_SHARD_SIZE + ", not " + shardSize);
        }
        if (concurrency < 1) {
            // A shard's checks take permits of it: none, and every shard would wait for ever.
            problems.add("cmk.audit.concurrency must be 1 at least, not " + concurrency);
        }
        if (shardsAtOnce < 1) {
            problems.add("cmk.audit.shards-at-once must be 1 at least, not " + shardsAtOnce);
        }
        if (pairWait.isNegative()) {
            problems.add("cmk.audit.pair-wait must not be negative, not " + pairWait);
        }
        if (stalledAfter.isNegative() || stalledAfter.isZero()) {
            problems.add("cmk.audit.stalled-after must be positive, not " + stalledAfter);
        }
        if (retention.compareTo(MIN_RETENTION) < 0 || retention.compareTo(stalledAfter) <= 0) {
            problems.add("cmk.audit.retention must be a day at least, and longer than cmk.audit.stalled-after, not "
                    + retention);
        }
        if (directoryLookupsAtOnce < 1) {
            problems.add("the audit's Resource Manager lookups at once must be 1 at least (a quarter of"
                    + " cmk.identity.arm.max-waiting-requests), not " + directoryLookupsAtOnce);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public AuditSettings(
            int shardSize,
            int concurrency,
            int shardsAtOnce,
            Duration pairWait,
            Duration stalledAfter,
            Duration retention) {
        this(
                shardSize,
                concurrency,
                shardsAtOnce,
                pairWait,
                stalledAfter,
                retention,
                DEFAULT_DIRECTORY_LOOKUPS_AT_ONCE);
    }

    /** The audit's share of Resource Manager's bound on calls waiting, {@code maxWaitingRequests}: a quarter. */
    public static int directoryLookupsAtOnce(int maxWaitingRequests) {
        return Math.max(1, maxWaitingRequests / 4);
    }

    public AuditSettings(int shardSize, int concurrency, Duration pairWait, Duration stalledAfter, Duration retention) {
        this(shardSize, concurrency, DEFAULT_SHARDS_AT_ONCE, pairWait, stalledAfter, retention);
    }

    public AuditSettings(int shardSize, int concurrency, Duration pairWait, Duration stalledAfter) {
        this(shardSize, concurrency, pairWait, stalledAfter, DEFAULT_RETENTION);
    }
}
