package com.databox.cmk.audit;

import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.KeyDescription;
import com.databox.cmk.encryption.KeyRequirements;
import com.databox.cmk.encryption.KeyUrl;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.UserAssignedIdentities;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderNamePage;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
 * <p>A run is split into shards of order names, queued and audited by any number of
 * instances. Each distinct (key version, identity) pair is proven once per run, whatever
 * the number of orders sharing it; the result is kept with the run so that every shard
 * reuses it. Everything an order gets is written with its ETag, so a run that dies midway
 * leaves orders consistent and the next run finishes the work.
 */
public class AuditService {
    private static final Logger LOG = Logger.getLogger(AuditService.class);
    private static final String ACTOR = "permission-audit";
    private static final long PAIR_POLL_MILLIS = 50;

    private final Orders orders;
    private final UserAssignedIdentities identities;
    private final EncryptionService encryption;
    private final KeyRequirements requirements;
    private final KeyVaultGateway vault;
    private final AuditRuns runs;
    private final ShardQueue shards;
    private final CmkEvents events;
    private final AuditSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AuditService(Orders orders, UserAssignedIdentities identities, EncryptionService encryption,
            KeyRequirements requirements, KeyVaultGateway vault, AuditRuns runs, ShardQueue shards, CmkEvents events,
            AuditSettings settings, Clock clock) {
        this.orders = orders;
        this.identities = identities;
        this.encryption = encryption;
        this.requirements = requirements;
        this.vault = vault;
        this.runs = runs;
        this.shards = shards;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts a run: queues one shard per page of order names, reading names only, page by page. */
    public String start(String trigger) {
        String runId = UUID.randomUUID().toString();
        runs.start(runId, clock.instant(), trigger);
        int index = 0;
        String continuation = null;
        do {
            OrderNamePage page = orders.listNames(settings.shardSize(), continuation);
            if (!page.names().isEmpty()) {
                shards.enqueue(new AuditShard(runId, index++, page.names().stream().map(OrderName::value).toList()));
            }
            continuation = page.continuation();
        } while (continuation != null);
        runs.shardsQueued(runId, index);
        LOG.infof("Audit run %s (%s) queued %d shards", runId, trigger, index);
        return runId;
    }

    public Optional<AuditReport> report(String runId) {
        return runs.report(runId);
    }

    /** Audits one shard, at most {@code concurrency} orders at a time, and records its result. */
    public ShardResult runShard(AuditShard shard) {
        Map<String, CompletableFuture<PairCheck>> pairs = new ConcurrentHashMap<>();
        Map<String, Optional<KeyDescription>> currentVersions = new ConcurrentHashMap<>();
        Map<Outcome, AtomicInteger> counts = new ConcurrentHashMap<>();
        UserAssignedIdentities directory = new RememberingDirectory(identities);
        Map<OrderName, Order> loaded = loadShard(shard);
        Semaphore slots = new Semaphore(settings.concurrency());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> work = new ArrayList<>();
            for (String name : shard.orderNames()) {
                work.add(executor.submit(() -> {
                    slots.acquireUninterruptibly();
                    try {
                        Outcome outcome = auditOrder(shard.runId(), loaded.get(new OrderName(name)), directory, pairs,
                                currentVersions);
                        counts.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> future : work) {
                await(future);
            }
        }
        int healthy = count(counts, Outcome.HEALTHY);
        int lost = count(counts, Outcome.ACCESS_LOST);
        int rotated = count(counts, Outcome.ROTATED);
        ShardResult result = new ShardResult(shard.index(), clock.instant(),
                healthy + lost + rotated + count(counts, Outcome.UNKNOWN), healthy, lost, rotated);
        runs.recordShard(shard.runId(), result);
        return result;
    }

    private enum Outcome { SKIPPED, HEALTHY, ACCESS_LOST, ROTATED, UNKNOWN }

    /** The shard's orders in one range query rather than one read each; names it finds no order for are gone. */
    private Map<OrderName, Order> loadShard(AuditShard shard) {
        List<OrderName> names = shard.orderNames().stream().map(OrderName::new).toList();
        Map<OrderName, Order> loaded = new ConcurrentHashMap<>();
        for (Order order : orders.listRange(names.getFirst(), names.getLast())) {
            loaded.put(order.name(), order);
        }
        return loaded;
    }

    private Outcome auditOrder(String runId, Order order, UserAssignedIdentities directory,
            Map<String, CompletableFuture<PairCheck>> pairs, Map<String, Optional<KeyDescription>> currentVersions) {
        if (order == null || !(order.protection() instanceof KeyProtection.CustomerManaged key)
                || order.stage().isTerminal()) {
            return Outcome.SKIPPED;
        }
        OrderName name = order.name();
        try {
            WrappingIdentity identity;
            try {
                identity = KeyRequirements.resolve(order, key.keyIdentity(), directory);
            } catch (ServiceException identityGone) {
                return recordHealth(runId, order, new PairCheck(identityGone.code(), identityGone.getMessage()));
            }
            if (key.autoRotation() && rotateIfNewer(order, key, identity, currentVersions)) {
                return Outcome.ROTATED;
            }
            PairCheck check = pairCheck(runId, key.keyUrl(), identity, pairs);
            return recordHealth(runId, order, check);
        } catch (TransientFailure | StaleOrderException tryNextRun) {
            // Throttled, unavailable, or changed meanwhile: no verdict this run; the next run checks again.
            LOG.debugf("Order %s not audited this run: %s", name, tryNextRun.getMessage());
            return Outcome.UNKNOWN;
        }
    }

    /** Proves the pair once per run: first in this shard, then across shards through the run's record. */
    private PairCheck pairCheck(String runId, KeyUrl kekUrl, WrappingIdentity identity,
            Map<String, CompletableFuture<PairCheck>> pairs) {
        String pairKey = kekUrl + "|" + identity.key();
        CompletableFuture<PairCheck> mine = new CompletableFuture<>();
        CompletableFuture<PairCheck> existing = pairs.putIfAbsent(pairKey, mine);
        if (existing != null) {
            return join(existing);
        }
        try {
            PairCheck check = sharedPairCheck(runId, pairKey, kekUrl, identity);
            mine.complete(check);
            return check;
        } catch (RuntimeException e) {
            pairs.remove(pairKey, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Across shards: the shard that claims the pair proves it; the others wait for its result,
     * and prove it themselves only if it never comes (the claimant died).
     */
    private PairCheck sharedPairCheck(String runId, String pairKey, KeyUrl kekUrl, WrappingIdentity identity) {
        if (!runs.claimPairCheck(runId, pairKey)) {
            long deadline = System.nanoTime() + settings.pairWait().toNanos();
            do {
                Optional<PairCheck> proven = runs.findPairCheck(runId, pairKey);
                if (proven.isPresent()) {
                    return proven.get();
                }
                sleep(PAIR_POLL_MILLIS);
            } while (System.nanoTime() < deadline);
        }
        PairCheck proven = prove(kekUrl, identity);
        runs.recordPairCheck(runId, pairKey, proven);
        return proven;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private PairCheck prove(KeyUrl kekUrl, WrappingIdentity identity) {
        byte[] probe = new byte[32];
        random.nextBytes(probe);
        Optional<ServiceException> failure = requirements.checkAs(kekUrl, identity, probe).firstFailure();
        if (failure.isEmpty()) {
            return PairCheck.HEALTHY;
        }
        ServiceException e = failure.get();
        if (e.code() == ErrorCode.KeyVaultUnavailable || e.code() == ErrorCode.InternalError) {
            throw new TransientFailure(e.getMessage());
        }
        return new PairCheck(e.code(), e.getMessage());
    }

    /** For autoRotation orders: a newer enabled version gets a full verified rewrap (the change-key transaction). */
    private boolean rotateIfNewer(Order order, KeyProtection.CustomerManaged kek, WrappingIdentity identity,
            Map<String, Optional<KeyDescription>> currentVersions) {
        String versionless = kek.versionless().keyId();
        Optional<KeyDescription> current = currentVersions.computeIfAbsent(versionless + "|" + identity.key(), k -> {
            try {
                return Optional.of(vault.describe(versionless, identity));
            } catch (ServiceException unreadable) {
                return Optional.empty(); // the health check that follows reports why
            }
        });
        if (current.isEmpty() || !current.get().enabled() || current.get().keyId().equals(kek.keyUrl().keyId())) {
            return false;
        }
        try {
            Order rotated = encryption.changeKey(order.name(), versionless, kek.vault(), order.etag(), ACTOR);
            String rotatedUrl = ((KeyProtection.CustomerManaged) rotated.protection()).keyUrl().keyId();
            events.publish(new CmkEvent(CmkEvent.Type.KeyVersionRotated, order.name().value(), clock.instant(),
                    rotatedUrl, kek.keyUrl().keyId(), null, null));
            if (order.keyHealth().status() == KeyHealth.Status.AccessLost) {
                events.publish(new CmkEvent(CmkEvent.Type.KeyAccessRestored, order.name().value(), clock.instant(),
                        rotatedUrl, null, null, null));
            }
            return true;
        } catch (ServiceException cannotRotate) {
            LOG.infof("Order %s cannot move to %s yet: %s", order.name(), current.get().keyId(), cannotRotate.code());
            return false;
        }
    }

    /** Writes the health only when it changed, and tells Logic Apps about losing or regaining access. */
    private Outcome recordHealth(String runId, Order order, PairCheck check) {
        KeyHealth before = order.keyHealth();
        KeyHealth.Status status = check.healthy() ? KeyHealth.Status.Healthy : KeyHealth.Status.AccessLost;
        if (!check.healthy()) {
            runs.recordFinding(runId, new Finding(order.name().value(), check.errorCode().name(), check.message(),
                    check.errorCode().resolution()));
        }
        boolean changed = before.status() != status || before.errorCode() != check.errorCode()
                || before.lastCheckedAt() == null;
        if (changed) {
            KeyHealth after = new KeyHealth(status, check.errorCode(), check.message(), clock.instant());
            orders.replace(order.withKeyHealth(after), new HistoryEntry(clock.instant(), "audit", ACTOR,
                    "Key health " + before.status() + " -> " + status
                            + (check.errorCode() == null ? "" : " (" + check.errorCode() + ")")));
            String kekUrl = ((KeyProtection.CustomerManaged) order.protection()).keyUrl().keyId();
            if (status == KeyHealth.Status.AccessLost && before.status() != KeyHealth.Status.AccessLost) {
                events.publish(new CmkEvent(CmkEvent.Type.KeyAccessLost, order.name().value(), clock.instant(), kekUrl,
                        null, check.errorCode().name(), check.message()));
            } else if (status == KeyHealth.Status.Healthy && before.status() == KeyHealth.Status.AccessLost) {
                events.publish(new CmkEvent(CmkEvent.Type.KeyAccessRestored, order.name().value(), clock.instant(),
                        kekUrl, null, null, null));
            }
        }
        return check.healthy() ? Outcome.HEALTHY : Outcome.ACCESS_LOST;
    }

    private static int count(Map<Outcome, AtomicInteger> counts, Outcome outcome) {
        AtomicInteger n = counts.get(outcome);
        return n == null ? 0 : n.get();
    }

    private static PairCheck join(CompletableFuture<PairCheck> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(Future<?> future) {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Within one shard, asks the directory once per user-assigned identity, however many orders
     * use it; each shard (and so each run) asks afresh.
     */
    private static final class RememberingDirectory implements UserAssignedIdentities {
        private final UserAssignedIdentities directory;
        private final Map<String, Optional<UserAssignedIdentity>> userAssigned = new ConcurrentHashMap<>();

        RememberingDirectory(UserAssignedIdentities directory) {
            this.directory = directory;
        }

        @Override
        public Optional<UserAssignedIdentity> findUserAssigned(String resourceId) {
            return userAssigned.computeIfAbsent(resourceId.toLowerCase(java.util.Locale.ROOT),
                    id -> directory.findUserAssigned(resourceId));
        }
    }

    /** Key Vault could not give a verdict now (throttled or down). */
    private static final class TransientFailure extends RuntimeException {
        TransientFailure(String message) {
            super(message, null, false, false);
        }
    }
}
