package com.databox.cmk.audit;

import java.util.Optional;

/** The proofs of (key version, identity) pairs that one audit run shares between its shards. */
public interface PairChecks {
    /** What a run knows of a pair: nobody is proving it, a shard is, or its proof. */
    sealed interface PairState {
        record Unclaimed() implements PairState {}

        record Claimed() implements PairState {}

        record Proven(PairCheck check) implements PairState {}
    }

    /**
     * Claims the proof of a pair for this run; false when another shard claimed it first
     * (then its result appears in {@link #pairState} once proven).
     */
    boolean claimPairCheck(String runId, String pairKey);

    PairState pairState(String runId, String pairKey);

    /** The pair's result in this run, once some shard has proven it. */
    default Optional<PairCheck> findPairCheck(String runId, String pairKey) {
        return pairState(runId, pairKey) instanceof PairState.Proven proven
                ? Optional.of(proven.check())
                : Optional.empty();
    }

    void recordPairCheck(String runId, String pairKey, PairCheck check);

    /**
     * Gives up a claim whose proof found no verdict (Key Vault unreachable), so that the next
     * shard needing the pair proves it at once instead of waiting for a result that never comes.
     * A pair already proven stays proven.
     */
    void releasePairCheck(String runId, String pairKey);
}
