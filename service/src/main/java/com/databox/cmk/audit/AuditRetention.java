package com.databox.cmk.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Deletes the audit runs started longer ago than they are kept: every run writes a partition of rows (its
 * shards, pairs and findings), hourly by default for every tenant, which nothing else ever deletes. A run
 * deleted answers {@code 404 AuditRunNotFound} from then on.
 */
public final class AuditRetention {
    /** Runs deleted at most per call, so that one timer invocation stays short whatever the backlog. */
    static final int MAX_PER_CALL = 50;

    private final AuditRuns runs;
    private final Duration keepFor;
    private final Clock clock;

    public AuditRetention(AuditRuns runs, Duration keepFor, Clock clock) {
        this.runs = runs;
        this.keepFor = keepFor;
        this.clock = clock;
    }

    /** @return how many runs were deleted (at most {@value #MAX_PER_CALL}; the next call goes on) */
    public int deleteExpiredRuns() {
        List<AuditRuns.StartedRun> expired = runs.startedBefore(clock.instant().minus(keepFor), MAX_PER_CALL);
        expired.forEach(runs::delete);
        return expired.size();
    }
}
