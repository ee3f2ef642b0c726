package com.databox.cmk.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Where audit runs keep their progress, so that any instance can report or continue them. */
public interface AuditRuns extends PairChecks {
    /**
     * Records the run and links its first shard, at the first order, together.
     *
     * @param tenantId the one tenant whose orders the run audits, or null for every tenant
     */
    void start(String runId, Instant startedAt, String trigger, String tenantId);

    /** Records how many shards the run has, once the last one has read the last page. */
    void shardsQueued(String runId, int shards);

    /**
     * Records where shard {@code index} starts, and when it was linked (the run moved on then), unless
     * that is already recorded (a shard delivered again links its next one again): answers the link as
     * stored.
     */
    ShardLink linkShard(String runId, int index, String from, Instant linkedAt);

    /** Where shard {@code index} starts; empty when no shard of the run linked it. */
    Optional<ShardLink> shardLink(String runId, int index);

    /** Marks shard {@code index}'s message as queued. */
    void shardLinkQueued(String runId, int index);

    /** Idempotent: a shard done twice leaves one result. */
    void recordShard(String runId, ShardResult result);

    /** The result shard {@code index} recorded; empty while no delivery of it has recorded one. */
    Optional<ShardResult> shardResult(String runId, int index);

    void recordFinding(String runId, Finding finding);

    /**
     * Every shard's result and finding summed up, and when the run last moved on (the latest of its
     * start, its links and its shards' results): reads the whole run.
     */
    Optional<AuditReport> report(String runId);

    /** The run's tenant and shard count (0 until the last page is read) alone, in one read whatever the run's size. */
    Optional<PlannedRun> planned(String runId);

    /** The run a tenant started last, as {@link #claimLatest} recorded it; empty when it never started one. */
    Optional<LatestRun> latestRun(String tenantId);

    /**
     * Records {@code runId}, claimed at {@code claimedAt}, as the tenant's latest run, if the latest is
     * still {@code seen} (empty: none yet): false when another start recorded its own meanwhile.
     */
    boolean claimLatest(String tenantId, String runId, Instant claimedAt, Optional<LatestRun> seen);

    /**
     * Forgets {@code runId} as the tenant's latest run, if it still is: its start failed after claiming it,
     * and a retry must start a run rather than answer one that is not going on. A later claim stays.
     */
    void releaseLatest(String tenantId, String runId);

    /** Up to {@code max} runs started before {@code cutoff} (any tenant's, the timer's too), the oldest first. */
    List<StartedRun> startedBefore(Instant cutoff, int max);

    /**
     * Deletes the run and everything it recorded, a transaction of rows at a time, until {@code timeIsUp}: a
     * deletion cut short leaves the run's own row and its index row, so that a later one finds the run and finishes
     * it. A run already gone is no error.
     *
     * @return whether the run is gone
     */
    boolean delete(StartedRun run, BooleanSupplier timeIsUp);

    /** A run as its start recorded it in the index of runs by start time. */
    record StartedRun(String runId, Instant startedAt) {}

    /** A tenant's latest run, when its start claimed it, and the version of the record that says so. */
    record LatestRun(String runId, Instant claimedAt, String etag) {}
}
