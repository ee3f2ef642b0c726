package com.databox.cmk.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Deletes the audit runs started longer ago than they are kept: every run writes a partition of rows (its
 * shards, pairs and findings), hourly by default for every tenant, which nothing else ever deletes. A run
 * deleted answers {@code 404 AuditRunNotFound} from then on.
 */
public final class AuditRetention {
    /** Runs asked for and deleted at a time. */
    static final int PER_BATCH = 50;
    /**
     * Runs deleted at most per call, and the time a call may take, so that one timer invocation stays short
     * whatever the backlog. A tenant that starts a run as soon as the last one ends starts about 700 an hour (load
     * run of 2026-12-06, bb93: a run of its orders took 4.7 s); at 50 a call, the hourly timer deleted far fewer than
     * were started, and the runs grew without bound once the first ones expired.
     */
    static final int MAX_PER_CALL = 2_000;

    static final Duration MAX_TIME_PER_CALL = Duration.ofMinutes(2);

    /**
     * Runs each run's first shard deletes once its own work is done, more than the one run it adds, so that the runs
     * kept grow with the runs started within the retention and not with the number of tenants: the timer's share,
     * {@value #MAX_PER_CALL} an hour, is out-run by a few tenants starting runs back to back, or by a few thousand
     * starting one an hour.
     */
    static final int PER_RUN = 2;

    /**
     * A run's share stops after this, between two transactions of a run's rows, and starts no second deletion: a run
     * of 100,000 orders may have as many rows, which take their time, and the shard's message waits for its share
     * (review rv4 M2). A run cut short is finished by a later deletion.
     */
    static final Duration MAX_TIME_PER_RUN = Duration.ofSeconds(20);

    private final AuditRuns runs;
    private final Duration keepFor;
    private final Clock clock;

    public AuditRetention(AuditRuns runs, Duration keepFor, Clock clock) {
        this.runs = runs;
        this.keepFor = keepFor;
        this.clock = clock;
    }

    /**
     * The timer's deletion.
     *
     * @return how many runs were deleted (at most {@value #MAX_PER_CALL}; the next call goes on)
     */
    public int deleteExpiredRuns() {
        Instant started = clock.instant();
        Instant cutoff = cutoff(started);
        Instant stopAt = started.plus(MAX_TIME_PER_CALL);
        int deleted = 0;
        while (deleted < MAX_PER_CALL) {
            int asked = Math.min(PER_BATCH, MAX_PER_CALL - deleted);
            List<AuditRuns.StartedRun> expired = runs.startedBefore(cutoff, asked);
            for (AuditRuns.StartedRun run : expired) {
                if (!runs.delete(run, () -> timeIsUp(stopAt))) {
                    return deleted;
                }
                deleted++;
                if (timeIsUp(stopAt)) {
                    return deleted;
                }
            }
            if (expired.size() < asked) {
                return deleted;
            }
        }
        return deleted;
    }

    /**
     * A run's own share: {@value #PER_RUN} runs past the retention, taken at random among the oldest {@value
     * #PER_BATCH}, so that first shards running at once (every tenant's hourly schedule firing on the hour) mostly
     * delete different runs, where each would delete the same oldest two (review rv4 M1). One query when there are
     * none.
     *
     * @return how many runs were deleted (at most {@value #PER_RUN})
     */
    public int deleteExpiredRunsAfterARun() {
        List<AuditRuns.StartedRun> expired = new ArrayList<>(runs.startedBefore(cutoff(clock.instant()), PER_BATCH));
        Collections.shuffle(expired, ThreadLocalRandom.current());
        Instant stopAt = clock.instant().plus(MAX_TIME_PER_RUN);
        int deleted = 0;
        for (AuditRuns.StartedRun run : expired.subList(0, Math.min(PER_RUN, expired.size()))) {
            if (deleted > 0 && timeIsUp(stopAt)) {
                break;
            }
            if (!runs.delete(run, () -> timeIsUp(stopAt))) {
                break;
            }
            deleted++;
        }
        return deleted;
    }

    /**
     * Whether a run started then is still kept. A run past the retention is gone whether or not its rows are yet: a
     * deletion cut short leaves the run's own row until a later one finishes it (review rv6 M1).
     */
    public boolean keeps(Instant startedAt) {
        return startedAt == null || startedAt.isAfter(cutoff(clock.instant()));
    }

    private Instant cutoff(Instant now) {
        return now.minus(keepFor);
    }

    private boolean timeIsUp(Instant stopAt) {
        return !clock.instant().isBefore(stopAt);
    }
}
