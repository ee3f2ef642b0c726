package com.databox.cmk.audit;

import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.encryption.KeyRequirements;
import com.databox.cmk.encryption.Probe;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Proves Get, WrapKey and UnwrapKey for a (key version, identity) pair once per run, whatever
 * the number of orders sharing it: first on this instance (its shards' orders wait for the one
 * proof in progress here), then across instances through the run's record.
 */
public final class PairProver {
    private static final long POLL_MILLIS = 50;
    /** Verdicts kept per (run, pair): far more pairs than a run of 100k orders has, a few MB at most. */
    static final int MAX_VERDICTS = 10_000;

    static final Duration VERDICT_IDLE = Duration.ofHours(1);

    private final KeyRequirements requirements;
    private final PairChecks checks;
    private final Duration pairWait;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /**
     * The run's verdicts on this instance, pending or found: the shards of a run here (a page is now
     * audited while the next is read, so two shards often meet a pair at once) wait for the one proof
     * in progress instead of each claiming it in the run's record and polling it, and the later shards
     * take the verdict from memory instead of reading the record again (issue 16). The key holds the
     * run, so a verdict never outlives its run's use; it is what the record would answer. A proof that
     * failed counts as none: the next order to meet the pair tries again.
     */
    private final BoundedCache<String, CompletableFuture<PairCheck>> verdicts =
            new BoundedCache<>(MAX_VERDICTS, VERDICT_IDLE);

    public PairProver(KeyRequirements requirements, PairChecks checks, Duration pairWait, Clock clock) {
        this.requirements = requirements;
        this.checks = checks;
        this.pairWait = pairWait;
        this.clock = clock;
    }

    /** The pairs {@code runId} has proven, shared by its shards' orders on this instance. */
    public Session session(String runId) {
        return session(runId, null, new ShardOutages(runId, 0));
    }

    /**
     * As {@link #session(String)}, for orders that each hold one of {@code slots} while audited: an
     * order waiting for another's proof of its pair gives its slot up meanwhile. A pair is proven only while
     * {@code outages} lets the shard call its vault.
     */
    Session session(String runId, Semaphore slots, ShardOutages outages) {
        return new Session(runId, slots, outages);
    }

    public final class Session {
        private final String runId;
        private final Semaphore slots;
        private final ShardOutages outages;

        private Session(String runId, Semaphore slots, ShardOutages outages) {
            this.runId = runId;
            this.slots = slots;
            this.outages = outages;
        }

        /**
         * The pair's verdict: the run's, proven by another order or shard, or proven now. A verdict already known is
         * given even when the shard calls the vault no more ({@link ShardOutages}); a new proof is not made then.
         *
         * @throws TransientAuditFailure when Key Vault gives no verdict now, or is not called
         */
        public PairCheck check(KeyUrl keyUrl, WrappingIdentity identity) {
            String pairKey = keyUrl + "|" + identity.key();
            CompletableFuture<PairCheck> mine = new CompletableFuture<>();
            CompletableFuture<PairCheck> verdict =
                    verdicts.get(runId + "|" + pairKey, pending -> !pending.isCompletedExceptionally(), key -> mine);
            if (verdict != mine) {
                return Futures.joinOthers(verdict, slots);
            }
            ShardOutages.Dependency vault = ShardOutages.Dependency.vaultOf(keyUrl);
            try {
                outages.requireCallable(vault);
                PairCheck check = acrossShards(runId, pairKey, keyUrl, identity);
                outages.answered(vault);
                mine.complete(check);
                return check;
            } catch (TransientAuditFailure noVerdict) {
                if (!outages.skips(vault)) {
                    outages.failed(vault, pairKey, noVerdict);
                }
                mine.completeExceptionally(noVerdict);
                throw noVerdict;
            } catch (RuntimeException | Error e) {
                // Completed whatever happens: the orders waiting for this verdict must not wait forever.
                mine.completeExceptionally(e);
                throw e;
            }
        }
    }

    /**
     * The shard that claims the pair proves it; the others wait for its result, and prove it
     * themselves when the claimant gives up (no verdict) or never answers (it died). A shard claims
     * before it reads: the first to meet a pair, which is most often the one that proves it, spends
     * no read on it; the others, on an instance that has not met it yet, a refused claim and a read.
     */
    private PairCheck acrossShards(String runId, String pairKey, KeyUrl keyUrl, WrappingIdentity identity) {
        long deadline = System.nanoTime() + pairWait.toNanos();
        boolean claimed = checks.claimPairCheck(runId, pairKey);
        while (!claimed) {
            switch (checks.pairState(runId, pairKey)) {
                case PairChecks.PairState.Proven proven -> {
                    return proven.check();
                }
                case PairChecks.PairState.Unclaimed unclaimed -> claimed = checks.claimPairCheck(runId, pairKey);
                case PairChecks.PairState.Claimed inProgress -> sleep(POLL_MILLIS);
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
        }
        PairCheck proven;
        try {
            proven = prove(keyUrl, identity);
        } catch (RuntimeException e) {
            if (claimed) {
                release(runId, pairKey, e);
            }
            throw e;
        }
        checks.recordPairCheck(runId, pairKey, proven);
        return proven;
    }

    private void release(String runId, String pairKey, RuntimeException cause) {
        try {
            checks.releasePairCheck(runId, pairKey);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    PairCheck prove(KeyUrl keyUrl, WrappingIdentity identity) {
        Instant provenAt = clock.instant();
        byte[] probe = Probe.random(random);
        Optional<ServiceException> failure;
        try {
            failure = requirements.checkAs(keyUrl, identity, probe).firstFailure();
        } catch (ServiceException refusedBeforeAnyCall) {
            // A host taken off the allow-list since the order stored its key: the order's finding, not the run's.
            failure = Optional.of(refusedBeforeAnyCall);
        }
        if (failure.isEmpty()) {
            return new PairCheck(null, null, provenAt);
        }
        ServiceException e = failure.get();
        if (e.code().saysNothingOfTheKey()) {
            throw new TransientAuditFailure(e.code(), e.getMessage());
        }
        return new PairCheck(e.code(), e.getMessage(), provenAt, e.specificResolution());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
