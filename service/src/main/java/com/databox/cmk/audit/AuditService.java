package com.databox.cmk.audit;

import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.error.FailuresInLog;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.Guids;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UnreadableOrder;
import com.databox.cmk.order.UserAssignedIdentities;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The permission audit: for every active order with a customer-managed key, proves Get,
 * WrapKey and UnwrapKey as the order's identity, records the key health, moves
 * {@code autoRotation} orders to the newest key version, and tells Logic Apps what changed.
 *
 * <p>A run is split into shards of one page of orders each ({@link ShardPlanner}), queued and
 * audited by any number of instances, each shard queuing the next while it audits its own page.
 * Each distinct (key version, identity) pair is proven once per run ({@link PairProver}); newer
 * versions are taken by {@link VersionRotator}; what was found is written by {@link HealthRecorder}.
 * Everything an order gets is written with its ETag, so a run that dies midway leaves orders
 * consistent and the next run finishes the work.
 */
public class AuditService {
    private static final Logger LOG = Logger.getLogger(AuditService.class);

    private final UserAssignedIdentities identities;
    private final ShardPlanner planner;
    private final PairProver prover;
    private final VersionRotator rotator;
    private final HealthRecorder health;
    private final AuditRuns runs;
    private final int concurrency;
    private final Duration stalledAfter;
    /**
     * The shards this instance audits at once: a shard handed over beyond them waits for one to end. The
     * host hands over no more by itself (host.json); this holds whatever hands them over to the bound the heap is
     * sized for.
     */
    private final Semaphore shardsInFlight;

    /** The audit's Resource Manager lookups at once on this instance, all runs and shards together. */
    private final Semaphore directoryLookups;

    private final AuditRetention retention;
    private final Clock clock;
    /** The directory's answers per (run, identity), shared by the run's shards on this instance. */
    private final BoundedCache<String, CompletableFuture<Optional<UserAssignedIdentity>>> directoryAnswers =
            new BoundedCache<>(MAX_DIRECTORY_ANSWERS, DIRECTORY_ANSWER_IDLE);

    public AuditService(
            UserAssignedIdentities identities,
            ShardPlanner planner,
            PairProver prover,
            VersionRotator rotator,
            HealthRecorder health,
            AuditRuns runs,
            AuditSettings settings,
            Clock clock) {
        this.identities = identities;
        this.planner = planner;
        this.prover = prover;
        this.rotator = rotator;
        this.health = health;
        this.runs = runs;
        this.concurrency = settings.concurrency();
        this.stalledAfter = settings.stalledAfter();
        this.shardsInFlight = new Semaphore(settings.shardsAtOnce(), true);
        this.directoryLookups = new Semaphore(settings.directoryLookupsAtOnce(), true);
        this.retention = new AuditRetention(runs, settings.retention(), clock);
        this.clock = clock;
    }

    /**
     * Starts a run and queues its first shard; its report shows it running until every shard is done.
     *
     * @return the new run's report
     */
    public AuditReport start(String trigger, TenantId tenant) {
        // One run at a time per tenant, and one timer's run of every tenant at a time: a start while its
        // run goes on answers that run. Every run queues its shards on the queue all runs share, so a
        // tenant starting runs in a loop would hold up every other tenant's runs and the timer's run, and a
        // timer's run longer than its schedule (or a start the host retried after a lost answer) would stack
        // runs of every tenant. A start claims the latest run before it writes the run: a start that loses
        // the claim answers the winner's run.
        String claimKey = tenant == null ? EVERY_TENANT : tenant.value();
        Optional<AuditRuns.LatestRun> latest = Optional.empty();
        for (int attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
            latest = runs.latestRun(claimKey);
            Optional<AuditReport> going = latest.flatMap(run -> goingOn(tenant, run));
            if (going.isPresent()) {
                return going.get();
            }
            String runId = UUID.randomUUID().toString();
            if (runs.claimLatest(claimKey, runId, clock.instant(), latest)) {
                return startClaimed(claimKey, runId, trigger, tenant);
            }
        }
        // Other starts kept winning: theirs is the run going on.
        AuditRuns.LatestRun winner = latest.orElseThrow();
        return AuditReport.started(winner.runId(), winner.claimedAt(), tenant == null ? null : tenant.value());
    }

    /**
     * Starts the run just claimed. A start that fails (Storage answering 503 midway) gives its claim up, so
     * that its retry (the host's, for the timer; a caller's) starts a run rather than answering this one,
     * which may never have been written or queued.
     */
    private AuditReport startClaimed(String claimKey, String runId, String trigger, TenantId tenant) {
        try {
            return planner.start(runId, trigger, tenant);
        } catch (RuntimeException failed) {
            try {
                runs.releaseLatest(claimKey, runId);
            } catch (RuntimeException alsoFailed) {
                // Storage still failing: a retry finds the claim, and once it stops counting
                // (START_MAY_TAKE) starts afresh, or finds the run written and queues its first shard.
                failed.addSuppressed(alsoFailed);
            }
            throw failed;
        }
    }

    /**
     * The latest run of the tenant (null: the timer's run of every tenant), if it goes on: running, or
     * claimed so recently that its start may not have written it yet (a start cut short after its claim
     * leaves a claim that stops counting then).
     */
    private Optional<AuditReport> goingOn(TenantId tenant, AuditRuns.LatestRun latest) {
        Optional<AuditReport> report =
                tenant == null ? everyTenantsRun(latest.runId()) : report(tenant, latest.runId());
        boolean beingStarted = latest.claimedAt() != null
                && latest.claimedAt().plus(START_MAY_TAKE).isAfter(clock.instant());
        if (report.isPresent()) {
            Optional<AuditReport> running = report.filter(run -> run.status() == AuditReport.Status.Running);
            if (running.isPresent() && !beingStarted && !running.get().movedOnSinceStart()) {
                // Its start has had the time to queue its first shard, and no shard has moved it on: if the
                // start did not queue it, it failed. A run that moved on had its first shard run.
                planner.queueFirstShardIfNotQueued(latest.runId());
            }
            return running;
        }
        return beingStarted
                ? Optional.of(
                        AuditReport.started(latest.runId(), latest.claimedAt(), tenant == null ? null : tenant.value()))
                : Optional.empty();
    }

    /** A run of every tenant (the timer's), as {@link #report} judges a tenant's. */
    private Optional<AuditReport> everyTenantsRun(String runId) {
        return runs.report(runId)
                .filter(report -> report.tenantId() == null)
                .map(report -> report.judgedAt(clock.instant(), stalledAfter));
    }

    /**
     * The run, to its own tenant only: another tenant's run, or the timer's run of every tenant, is not
     * found. A run that has not moved on for {@code stalledAfter} is {@link AuditReport.Status#Failed}.
     */
    public Optional<AuditReport> report(TenantId tenant, String runId) {
        return runs.report(runId)
                .filter(report -> tenant.value().equals(report.tenantId()))
                .filter(report -> retention.keeps(report.startedAt()))
                .map(report -> report.judgedAt(clock.instant(), stalledAfter));
    }

    private static final int MAX_START_ATTEMPTS = 5;

    /** The claim of the timer's runs of every tenant: no tenant ID (a GUID) is this. */
    static final String EVERY_TENANT = "every-tenant";

    /**
     * Longer than a start takes from its claim to its run's record (one transaction, milliseconds), and
     * shorter than a retry comes after a start that failed without giving its claim up: Storage answers
     * an outage with {@code Retry-After: 5}, and the host retries a failed timer after 30 s. A start slower
     * than this may run beside the one started meanwhile; both audit the same orders, harmlessly.
     */
    static final Duration START_MAY_TAKE = Duration.ofSeconds(4);

    static final int MAX_DIRECTORY_ANSWERS = 10_000;
    private static final int NOT_AUDITED_NAMED = 5;
    static final Duration DIRECTORY_ANSWER_IDLE = Duration.ofHours(1);

    /**
     * Audits one shard: takes its page of orders ({@link ShardPlanner}), audits at most
     * {@code concurrency} orders at a time while the next shard is queued, and records its result once
     * both are done. A shard message that is malformed or that no shard of this service queued (an
     * unknown run, a page its run never linked) is refused with {@code InvalidRequest} before anything
     * is read or written (issue 12). A shard whose result is recorded already (its message delivered again)
     * audits nothing and answers that result. At most {@link AuditSettings#shardsAtOnce} shards take their
     * pages at once on this instance; one beyond them waits.
     */
    public ShardResult runShard(AuditShard shard) {
        return runShard(shard, 0);
    }

    /**
     * As {@link #runShard(AuditShard)}, for the {@code delivery}-th delivery of its message (the queue's
     * dequeue count; 0 when unknown). A first delivery is not asked whether the shard is done: a queue
     * delivers a message again only after its visibility timeout, so only a later one can find it done,
     * and the question is a table read beside the page of every shard (ARCHITECTURE.md measures it).
     */
    public ShardResult runShard(AuditShard shard, long delivery) {
        ShardLink link = requireLinked(shard);
        PlannedRun run = planner.plannedRun(shard.runId()).orElseThrow(() -> forged("The shard names no audit run."));
        ShardResult result;
        shardsInFlight.acquireUninterruptibly();
        try {
            result = audit(shard, link, run, delivery != 1);
        } finally {
            shardsInFlight.release();
        }
        if (shard.index() == 0) {
            deleteExpiredRuns(shard);
        }
        return result;
    }

    /** Its result recorded, a run's first shard deletes runs past their retention ({@link AuditRetention#PER_RUN}). */
    private void deleteExpiredRuns(AuditShard shard) {
        try {
            int deleted = retention.deleteExpiredRunsAfterARun();
            if (deleted > 0) {
                LOG.infof("Audit run %s: %s run(s) older than the retention deleted", shard.runId(), deleted);
            }
        } catch (RuntimeException e) {
            // The shard is audited: the runs left are the next run's, or the timer's.
            LOG.warnf(
                    FailuresInLog.trimmed(e),
                    "Audit run %s: deleting runs older than the retention failed",
                    shard.runId());
        }
    }

    private ShardResult audit(AuditShard shard, ShardLink link, PlannedRun run, boolean mayBeDone) {
        Map<Outcome, AtomicInteger> counts = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(concurrency);
        ShardOutages outages = new ShardOutages(shard.runId(), shard.index());
        ShardWork work = new ShardWork(
                shard.runId(),
                new RememberingDirectory(shard.runId(), identities, directoryAnswers, directoryLookups),
                prover.session(shard.runId(), slots, outages),
                rotator.session(),
                slots,
                outages);
        // Asked while the page is read: a delivery of a shard already done (a queue delivers at least once)
        // changes nothing, neither its orders nor its run's report, which counted it.
        CompletableFuture<Optional<ShardResult>> recorded = mayBeDone
                ? Futures.completeOnVirtualThread(
                        "audit-shard-recorded",
                        new CompletableFuture<>(),
                        () -> runs.shardResult(shard.runId(), shard.index()))
                : CompletableFuture.completedFuture(Optional.empty());
        ShardPage page = planner.takePage(run, link);
        Optional<ShardResult> done = Futures.join(recorded);
        if (done.isPresent()) {
            page.awaitNextQueued();
            LOG.infof(
                    "Audit run %s: shard %s was done already; delivered again, it audits nothing",
                    shard.runId(), shard.index());
            return done.get();
        }
        for (UnreadableOrder damaged : page.unreadable()) {
            // One line an order, at ERROR: no release writes such a row, someone must mend or delete it. The column
            // only, never its value (a key URL, or key material in a damaged wrapped key).
            LOG.errorf(
                    "Audit run %s shard %s: order %s of tenant %s cannot be read (its stored %s is damaged); not"
                            + " audited, counted as unreadable: mend or delete the row",
                    shard.runId(),
                    shard.index(),
                    damaged.order().name().value(),
                    damaged.order().tenant().value(),
                    damaged.column());
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (OrderKeyState order : page.orders()) {
                // An order starts once it has a slot: a page's orders are not all waiting in memory at once.
                slots.acquireUninterruptibly();
                futures.add(executor.submit(() -> {
                    try {
                        Outcome outcome = work.audit(order);
                        counts.computeIfAbsent(outcome, o -> new AtomicInteger())
                                .incrementAndGet();
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> future : futures) {
                Futures.join(future);
            }
        }
        page.awaitNextQueued();
        int healthy = count(counts, Outcome.HEALTHY);
        int lost = count(counts, Outcome.ACCESS_LOST);
        int rotated = count(counts, Outcome.ROTATED);
        int notAudited = count(counts, Outcome.UNKNOWN);
        if (notAudited > 0) {
            // One line a shard, not one an order: an outage leaves every order of every shard unaudited.
            LOG.warnf(
                    "Audit run %s shard %s: %s order(s) not audited this run (%s), among them %s; they keep their"
                            + " key health and the next run checks them again",
                    shard.runId(), shard.index(), notAudited, work.notAuditedReason(), work.notAuditedNames());
        }
        ShardResult result = new ShardResult(
                shard.index(),
                clock.instant(),
                healthy + lost + rotated + notAudited,
                healthy,
                lost,
                rotated,
                notAudited,
                page.unreadable().size());
        runs.recordShard(shard.runId(), result);
        logIfRunEnded(shard, result, page.wasLast());
        return result;
    }

    /**
     * One line at a run's end, with its totals, written by the shard whose result ended it: a timer's run, which no
     * caller polls, ended unseen, and locally no line at all gave its outcome (bug bash ob1 F11). Until the last page
     * is read the run's shard count is unknown (0) and no shard can be its last: only the shards that end after it
     * read the run. Two shards ending in the same millisecond may both write it; a shard delivered again writes
     * nothing (its result was recorded). A run that stalls writes none: its report says Failed. The shard of the last
     * page knows the count; another reads it (one row), since it may end after the last page's shard.
     */
    private void logIfRunEnded(AuditShard shard, ShardResult result, boolean lastPage) {
        try {
            if (!lastPage
                    && runs.planned(shard.runId())
                            .filter(planned -> planned.shards() > 0)
                            .isEmpty()) {
                return;
            }
            runs.report(shard.runId())
                    .filter(run -> run.status() == AuditReport.Status.Succeeded
                            && !result.finishedAt()
                                    .truncatedTo(ChronoUnit.MILLIS)
                                    .isBefore(run.finishedAt().truncatedTo(ChronoUnit.MILLIS)))
                    .ifPresent(AuditService::logEnded);
        } catch (RuntimeException e) {
            // The shard's result is recorded: the run's report says the same, only no line does.
            LOG.debugf(e, "Audit run %s: reading it for its end line failed", shard.runId());
        }
    }

    private static void logEnded(AuditReport run) {
        Duration took = Duration.between(run.startedAt(), run.finishedAt());
        LOG.infof(
                "Audit run %s ended: %s in %s s, %s shard(s), %s order(s) checked: %s healthy, %s accessLost,"
                        + " %s rotated, %s notAudited; %s unreadable%s",
                run.runId(),
                run.status(),
                BigDecimal.valueOf(took.toMillis(), 3).toPlainString(),
                Integer.toString(run.shards()),
                Integer.toString(run.ordersChecked()),
                Integer.toString(run.healthy()),
                Integer.toString(run.accessLost()),
                Integer.toString(run.rotated()),
                Integer.toString(run.notAudited()),
                Integer.toString(run.unreadable()),
                run.tenantId() == null ? " (every tenant)" : " (tenant " + run.tenantId() + ")");
    }

    /** The link its run recorded for the shard: the message itself says nothing about which orders to read. */
    private ShardLink requireLinked(AuditShard shard) {
        if (shard.runId() == null || !Guids.isGuid(shard.runId()) || shard.index() < 0) {
            throw forged("The shard message is malformed.");
        }
        return planner.link(shard.runId(), shard.index())
                .orElseThrow(() -> forged("The shard is not one its audit run queued."));
    }

    private static ServiceException forged(String message) {
        return ServiceException.invalidRequest(message + " It is not processed and will not be retried.", "shard");
    }

    private enum Outcome {
        SKIPPED,
        HEALTHY,
        ACCESS_LOST,
        ROTATED,
        UNKNOWN
    }

    /** What one shard shares between its orders: directory answers, proven pairs, newest versions. */
    private final class ShardWork {
        private final String runId;
        private final RememberingDirectory directory;
        private final PairProver.Session pairs;
        private final VersionRotator.Session versions;
        private final Semaphore slots;
        private final ShardOutages outages;
        /** The first orders left unaudited, named in the shard's warning, and why the first was. */
        private final List<String> notAudited = new ArrayList<>();

        private String firstNotAuditedReason;
        /** The shard's orders that met a failure of their own, each logged while they are few. */
        private final AtomicInteger unexpectedFailures = new AtomicInteger();

        ShardWork(
                String runId,
                RememberingDirectory directory,
                PairProver.Session pairs,
                VersionRotator.Session versions,
                Semaphore slots,
                ShardOutages outages) {
            this.runId = runId;
            this.directory = directory;
            this.pairs = pairs;
            this.versions = versions;
            this.slots = slots;
            this.outages = outages;
        }

        Outcome audit(OrderKeyState order) {
            Optional<KeyProtection.CustomerManaged> audited = order == null ? Optional.empty() : order.auditedKey();
            if (audited.isEmpty()) {
                return Outcome.SKIPPED;
            }
            KeyProtection.CustomerManaged key = audited.get();
            try {
                WrappingIdentity identity;
                try {
                    identity = order.wrappingIdentityFor(key.keyIdentity()).orElseThrow();
                } catch (ServiceException notOnOrder) {
                    return verdict(health.record(runId, order, refused(notOnOrder)));
                }
                // The directory is asked while the pair is proven (issue 16, item 5, as validate does); its
                // answer still decides first.
                Future<Optional<ServiceException>> lookup =
                        directory.lookUp(key.keyIdentity(), order.identity(), outages);
                if (key.autoRotation()) {
                    // A move to a newer version writes the order: only as an identity the directory still has.
                    Optional<ServiceException> gone = directoryAnswer(lookup);
                    if (gone.isPresent()) {
                        return verdict(health.record(runId, order, refused(gone.get())));
                    }
                    // A vault the shard calls no more is not asked for a newer version either.
                    if (!outages.skips(ShardOutages.Dependency.vaultOf(key.keyUrl()))
                            && versions.rotateIfNewer(order, key, identity)) {
                        return Outcome.ROTATED;
                    }
                }
                PairCheck check = null;
                TransientAuditFailure noVerdictFromVault = null;
                try {
                    check = pairs.check(key.keyUrl(), identity);
                } catch (TransientAuditFailure e) {
                    noVerdictFromVault = e;
                }
                Optional<ServiceException> gone = directoryAnswer(lookup);
                if (gone.isPresent()) {
                    return verdict(health.record(runId, order, refused(gone.get())));
                }
                if (noVerdictFromVault != null) {
                    throw noVerdictFromVault;
                }
                return verdict(health.record(runId, order, check));
            } catch (TransientAuditFailure | StaleOrderException tryNextRun) {
                // Throttled, unavailable, or changed meanwhile: no verdict this run; the next run checks again.
                LOG.debugf("Order %s not audited this run: %s", order.name(), tryNextRun.getMessage());
                return notAudited(order, tryNextRun.getMessage());
            } catch (RuntimeException e) {
                if (e instanceof ServiceException outage && outage.code().isTransient()) {
                    // Storage down for the health write: the shard is delivered again and retries its orders.
                    throw outage;
                }
                // Something only this order meets (Resource Manager refusing the service its identity, say):
                // failing the shard would leave all its orders unaudited on every delivery. A line each for the
                // first few of a shard only: one cause met by every order wrote a line an order, every run (ob1 F2).
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.logf(
                        unexpectedFailures.getAndIncrement() < NOT_AUDITED_NAMED
                                ? Logger.Level.WARN
                                : Logger.Level.DEBUG,
                        "Audit run %s: order %s of tenant %s not audited this run: %s",
                        runId,
                        order.name().value(),
                        order.tenant().value(),
                        reason);
                return notAudited(order, reason);
            }
        }

        private Outcome notAudited(OrderKeyState order, String reason) {
            synchronized (notAudited) {
                if (notAudited.isEmpty()) {
                    firstNotAuditedReason = reason;
                }
                if (notAudited.size() < NOT_AUDITED_NAMED) {
                    // Names are a tenant's own: the timer's run of every tenant may meet two orders of one name.
                    notAudited.add(
                            order.name().value() + " (tenant " + order.tenant().value() + ")");
                }
            }
            return Outcome.UNKNOWN;
        }

        /** Why the first order was left unaudited; an order whose recorded health was Unknown gives none. */
        String notAuditedReason() {
            synchronized (notAudited) {
                return firstNotAuditedReason != null ? firstNotAuditedReason : "no verdict";
            }
        }

        String notAuditedNames() {
            synchronized (notAudited) {
                return String.join(", ", notAudited);
            }
        }

        /**
         * The directory's refusal of the key's identity, if it refused it. A directory that did not answer
         * (Resource Manager throttling or down) is no verdict: the order keeps its health until the next run,
         * rather than being found without key access because of an outage.
         */
        private Optional<ServiceException> directoryAnswer(Future<Optional<ServiceException>> lookup) {
            try {
                return Futures.joinOthers(lookup, slots);
            } catch (ServiceException e) {
                if (e.code().isTransient()) {
                    throw new TransientAuditFailure(e.code(), e.getMessage());
                }
                throw e;
            }
        }

        private static PairCheck refused(ServiceException e) {
            return new PairCheck(e.code(), e.getMessage());
        }

        private static Outcome verdict(KeyHealth.Status health) {
            return switch (health) {
                case Healthy -> Outcome.HEALTHY;
                case AccessLost -> Outcome.ACCESS_LOST;
                case Unknown -> Outcome.UNKNOWN;
            };
        }
    }

    /** A user-assigned identity as the run's lookups know it, in any case as ARM's resource IDs compare. */
    private static String identityKey(KeyIdentity.UserAssigned user) {
        return user.id().value().toLowerCase(Locale.ROOT);
    }

    private static int count(Map<Outcome, AtomicInteger> counts, Outcome outcome) {
        AtomicInteger n = counts.get(outcome);
        return n == null ? 0 : n.get();
    }

    /**
     * Within one run, asks the directory once per user-assigned identity on each instance, however many
     * orders and shards use it (one ARM call per shard before, issue 16); each run asks afresh, as it
     * proves each (key, identity) pair afresh.
     */
    private static final class RememberingDirectory {
        private final String runId;
        private final UserAssignedIdentities directory;
        private final BoundedCache<String, CompletableFuture<Optional<UserAssignedIdentity>>> answers;
        private final Semaphore lookupsAtOnce;

        RememberingDirectory(
                String runId,
                UserAssignedIdentities directory,
                BoundedCache<String, CompletableFuture<Optional<UserAssignedIdentity>>> answers,
                Semaphore lookupsAtOnce) {
            this.runId = runId;
            this.directory = directory;
            this.answers = answers;
            this.lookupsAtOnce = lookupsAtOnce;
        }

        /**
         * The directory's refusal of {@code keyIdentity} (a user-assigned identity it no longer has as the order's
         * {@code attached} identities were given it), empty when it has it or the key needs none. The first order
         * to ask starts the lookup, on a thread of its own so that its pair is proven meanwhile; the others get the
         * same pending answer, each compared with its own order's identities. A lookup that failed counts as none:
         * the next order asks again.
         */
        CompletableFuture<Optional<ServiceException>> lookUp(
                KeyIdentity keyIdentity, OrderIdentity attached, ShardOutages outages) {
            if (!(keyIdentity instanceof KeyIdentity.UserAssigned user)) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            CompletableFuture<Optional<UserAssignedIdentity>> mine = new CompletableFuture<>();
            CompletableFuture<Optional<UserAssignedIdentity>> answer = answers.get(
                    runId + "|" + identityKey(user), pending -> !pending.isCompletedExceptionally(), key -> mine);
            if (answer == mine) {
                Futures.completeOnVirtualThread("audit-directory-lookup", mine, () -> lookUp(user, outages));
            }
            return answer.thenApply(found -> user.refusedBy(found, attached));
        }

        /**
         * One of the instance's audit lookups at once ({@link AuditSettings#directoryLookupsAtOnce}), waited for:
         * Resource Manager's bound on calls waiting ({@code cmk.identity.arm.max-waiting-requests}) counts the
         * requests' lookups and the audit's alike, and the audit's many lookups at once (one an identity, each order
         * giving its slot up while it waits for its own) took the whole bound while Resource Manager was slow, so
         * that every tenant's request was refused its lookups (bug bash nn1, F3). A lookup whose turn comes after its
         * shard stopped calling Resource Manager ({@link ShardOutages}) is not made.
         */
        private Optional<UserAssignedIdentity> lookUp(KeyIdentity.UserAssigned user, ShardOutages outages) {
            lookupsAtOnce.acquireUninterruptibly();
            try {
                outages.requireCallable(ShardOutages.RESOURCE_MANAGER);
                Optional<UserAssignedIdentity> found = directory.findUserAssigned(user.id());
                outages.answered(ShardOutages.RESOURCE_MANAGER);
                return found;
            } catch (ServiceException e) {
                if (e.code().isTransient()) {
                    outages.failed(
                            ShardOutages.RESOURCE_MANAGER,
                            identityKey(user),
                            new TransientAuditFailure(e.code(), e.getMessage()));
                }
                throw e;
            } finally {
                lookupsAtOnce.release();
            }
        }
    }
}
