package com.databox.cmk.audit;

import java.util.Optional;

/** The proofs of (key version, identity) pairs that one audit run shares between its shards. */
public interface PairChecks {
    /**
     * Claims the proof of a pair for this run; false when another shard claimed it first
     * (then its result appears in {@link #findPairCheck} once proven).
     */
    boolean claimPairCheck(String runId, String pairKey);

    /** The pair's result in this run, once some shard has proven it. */
    Optional<PairCheck> findPairCheck(String runId, String pairKey);

    void recordPairCheck(String runId, String pairKey, PairCheck check);
}
