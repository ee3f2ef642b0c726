package com.databox.cmk.audit;

import java.time.Instant;
import java.util.Optional;

/** Where audit runs keep their progress, so that any instance can report or continue them. */
public interface AuditRuns extends PairChecks {
    /** @param tenantId the one tenant whose orders the run audits, or null for every tenant */
    void start(String runId, Instant startedAt, String trigger, String tenantId);

    /** Records how many shards the run was split into, once they are all queued. */
    void shardsQueued(String runId, int shards);

    /** Idempotent: a shard done twice leaves one result. */
    void recordShard(String runId, ShardResult result);

    void recordFinding(String runId, Finding finding);

    /** Every shard's result and finding summed up: reads the whole run. */
    Optional<AuditReport> report(String runId);

    /** The run's tenant and shard count alone, in one read whatever the run's size. */
    Optional<PlannedRun> planned(String runId);
}
