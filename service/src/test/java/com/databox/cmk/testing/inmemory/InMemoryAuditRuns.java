package com.databox.cmk.testing.inmemory;

import com.databox.cmk.audit.AuditReport;
import com.databox.cmk.audit.AuditRuns;
import com.databox.cmk.audit.Finding;
import com.databox.cmk.audit.PairCheck;
import com.databox.cmk.audit.PlannedRun;
import com.databox.cmk.audit.ShardLink;
import com.databox.cmk.audit.ShardResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Audit runs in memory, with the table's semantics: shard results and findings by key, one claim per pair. */
public class InMemoryAuditRuns implements AuditRuns {
    private record Run(
            Instant startedAt,
            String trigger,
            String tenantId,
            Integer shards,
            Map<Integer, ShardLink> links,
            Map<Integer, Instant> linkedAt,
            Map<Integer, ShardResult> results,
            Map<String, Finding> findings,
            Map<String, Optional<PairCheck>> pairs) {
        Run withShards(int count) {
            return new Run(startedAt, trigger, tenantId, count, links, linkedAt, results, findings, pairs);
        }
    }

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final AtomicInteger reportsRead = new AtomicInteger();
    private final AtomicInteger claims = new AtomicInteger();
    private final AtomicInteger shardResultReads = new AtomicInteger();
    private final AtomicInteger pairStateReads = new AtomicInteger();
    private final AtomicInteger plannedReads = new AtomicInteger();
    private volatile Runnable beforeRelease = () -> {};

    @Override
    public void start(String runId, Instant startedAt, String trigger, String tenantId) {
        runs.put(
                runId,
                new Run(
                        startedAt,
                        trigger,
                        tenantId,
                        null,
                        new ConcurrentHashMap<>(),
                        new ConcurrentHashMap<>(),
                        new ConcurrentHashMap<>(),
                        new ConcurrentHashMap<>(),
                        new ConcurrentHashMap<>()));
        linkShard(runId, 0, null, startedAt);
    }

    @Override
    public List<StartedRun> startedBefore(Instant cutoff, int max) {
        return runs.entrySet().stream()
                .filter(run -> run.getValue().startedAt().isBefore(cutoff))
                .map(run -> new StartedRun(run.getKey(), run.getValue().startedAt()))
                .sorted(Comparator.comparing(StartedRun::startedAt))
                .limit(max)
                .toList();
    }

    @Override
    public boolean delete(StartedRun run, BooleanSupplier timeIsUp) {
        beforeDelete.run();
        runs.remove(run.runId());
        return true;
    }

    private volatile Runnable beforeDelete = () -> {};

    /** Runs before each deletion of a run: a test's storage failing then. */
    public void beforeDelete(Runnable hook) {
        beforeDelete = hook;
    }

    /** Whether the run is kept. */
    public boolean exists(String runId) {
        return runs.containsKey(runId);
    }

    private final Map<String, LatestRun> latest = new ConcurrentHashMap<>();

    @Override
    public Optional<LatestRun> latestRun(String tenantId) {
        return Optional.ofNullable(latest.get(tenantId));
    }

    @Override
    public synchronized boolean claimLatest(
            String tenantId, String runId, Instant claimedAt, Optional<LatestRun> seen) {
        if (!Objects.equals(Optional.ofNullable(latest.get(tenantId)), seen)) {
            return false;
        }
        latest.put(
                tenantId,
                new LatestRun(runId, claimedAt, java.util.UUID.randomUUID().toString()));
        return true;
    }

    @Override
    public synchronized void releaseLatest(String tenantId, String runId) {
        beforeRelease.run();
        LatestRun claim = latest.get(tenantId);
        if (claim != null && claim.runId().equals(runId)) {
            latest.remove(tenantId);
        }
    }

    /** Runs before each release of a claim: a test's storage failing then too. */
    public void beforeRelease(Runnable hook) {
        beforeRelease = hook;
    }

    @Override
    public void shardsQueued(String runId, int shards) {
        runs.computeIfPresent(runId, (id, run) -> run.withShards(shards));
    }

    @Override
    public ShardLink linkShard(String runId, int index, String from, Instant linkedAt) {
        Run run = runs.get(runId);
        run.linkedAt().putIfAbsent(index, linkedAt);
        return run.links().computeIfAbsent(index, i -> new ShardLink(i, from, false));
    }

    @Override
    public Optional<ShardLink> shardLink(String runId, int index) {
        plannedReads.incrementAndGet();
        return Optional.ofNullable(runs.get(runId)).map(run -> run.links().get(index));
    }

    @Override
    public void shardLinkQueued(String runId, int index) {
        runs.get(runId).links().computeIfPresent(index, (i, link) -> new ShardLink(i, link.from(), true));
    }

    /** Forgets that a shard's message was queued, as a crash between linking and queuing it leaves the run. */
    public void forgetQueued(String runId, int index) {
        runs.get(runId).links().computeIfPresent(index, (i, link) -> new ShardLink(i, link.from(), false));
    }

    @Override
    public void recordShard(String runId, ShardResult result) {
        runs.get(runId).results().put(result.index(), result);
    }

    @Override
    public Optional<ShardResult> shardResult(String runId, int index) {
        shardResultReads.incrementAndGet();
        return Optional.ofNullable(runs.get(runId)).map(run -> run.results().get(index));
    }

    /** How often a shard's result was read ({@link #shardResult}). */
    public int shardResultReads() {
        return shardResultReads.get();
    }

    @Override
    public void recordFinding(String runId, Finding finding) {
        runs.get(runId).findings().put(finding.tenantId() + "~" + finding.orderName(), finding);
    }

    @Override
    public boolean claimPairCheck(String runId, String pairKey) {
        claims.incrementAndGet();
        return runs.get(runId).pairs().putIfAbsent(pairKey, Optional.empty()) == null;
    }

    @Override
    public PairState pairState(String runId, String pairKey) {
        pairStateReads.incrementAndGet();
        Optional<PairCheck> pair = runs.get(runId).pairs().get(pairKey);
        if (pair == null) {
            return new PairState.Unclaimed();
        }
        return pair.<PairState>map(PairState.Proven::new).orElseGet(PairState.Claimed::new);
    }

    @Override
    public void releasePairCheck(String runId, String pairKey) {
        runs.get(runId).pairs().remove(pairKey, Optional.empty());
    }

    @Override
    public void recordPairCheck(String runId, String pairKey, PairCheck check) {
        runs.get(runId).pairs().put(pairKey, Optional.of(check));
    }

    @Override
    public Optional<PlannedRun> planned(String runId) {
        plannedReads.incrementAndGet();
        return Optional.ofNullable(runs.get(runId))
                .map(run -> new PlannedRun(runId, run.tenantId(), run.shards() == null ? 0 : run.shards()));
    }

    /** How many times a shard tried to claim a pair's proof (an insert each in the table). */
    public int claims() {
        return claims.get();
    }

    /** How many times a shard read a pair's state (a point read each in the table). */
    public int pairStateReads() {
        return pairStateReads.get();
    }

    /** How many times a whole run was read, as {@code report} reads the table's partition. */
    public int reportsRead() {
        return reportsRead.get();
    }

    /** How many times a run's row or a shard's link was read (a point read each in the table). */
    public int plannedReads() {
        return plannedReads.get();
    }

    @Override
    public Optional<AuditReport> report(String runId) {
        reportsRead.incrementAndGet();
        Run run = runs.get(runId);
        if (run == null) {
            return Optional.empty();
        }
        List<ShardResult> results = new ArrayList<>(run.results().values());
        boolean done = run.shards() != null && results.size() >= run.shards();
        Instant finishedAt = results.stream()
                .map(ShardResult::finishedAt)
                .max(Instant::compareTo)
                .orElse(run.startedAt());
        return Optional.of(new AuditReport(
                runId,
                done ? AuditReport.Status.Succeeded : AuditReport.Status.Running,
                run.startedAt(),
                done ? finishedAt : null,
                run.shards() == null ? 0 : run.shards(),
                results.size(),
                results.stream().mapToInt(ShardResult::ordersChecked).sum(),
                results.stream().mapToInt(ShardResult::healthy).sum(),
                results.stream().mapToInt(ShardResult::accessLost).sum(),
                results.stream().mapToInt(ShardResult::rotated).sum(),
                results.stream().mapToInt(ShardResult::notAudited).sum(),
                results.stream().mapToInt(ShardResult::unreadable).sum(),
                List.copyOf(run.findings().values()),
                run.tenantId(),
                Stream.concat(
                                Stream.concat(Stream.of(run.startedAt()), run.linkedAt().values().stream()),
                                results.stream().map(ShardResult::finishedAt))
                        .max(Instant::compareTo)
                        .orElseThrow()));
    }
}
