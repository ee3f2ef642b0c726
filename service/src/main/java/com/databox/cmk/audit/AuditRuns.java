package com.databox.cmk.audit;

import java.time.Instant;
import java.util.Optional;

/** Where audit runs keep their progress, so that any instance can report or continue them. */
public interface AuditRuns {
    void start(String runId, Instant startedAt, String trigger);

    /** Records how many shards the run was split into, once they are all queued. */
    void shardsQueued(String runId, int shards);

    /** Idempotent: a shard done twice leaves one result. */
    void recordShard(String runId, ShardResult result);

    void recordFinding(String runId, Finding finding);

    /**
     * Claims the proof of a pair for this run; false when another shard claimed it first
     * (then its result appears in {@link #findPairCheck} once proven).
     */
    boolean claimPairCheck(String runId, String pairKey);

    /** The pair's result in this run, once some shard has proven it. */
    Optional<PairCheck> findPairCheck(String runId, String pairKey);

    void recordPairCheck(String runId, String pairKey, PairCheck check);

    Optional<AuditReport> report(String runId);
}
