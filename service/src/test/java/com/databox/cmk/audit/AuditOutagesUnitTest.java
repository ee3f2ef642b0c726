package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault.Permission;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A shard facing a dependency that does not answer (bug bash nn1, F2 and F3): it stops calling a vault, or Resource
 * Manager, that answered only outages ({@link ShardOutages}), and the audit's lookups leave Resource Manager's bound
 * to the requests.
 */
class AuditOutagesUnitTest {
    private static final Duration DEADLINE = Duration.ofMillis(300);
    private static final int SILENT_PAIRS = 10;
    /** The in-memory vault reads the key and then wraps, each call meeting the deadline: two calls a pair. */
    private static final int CALLS_A_PAIR = 2;
    /**
     * Pairs a silent vault is asked for: the first ones whose outages open the breaker, and one more that may start
     * between the first outage and the second (two orders audited at once).
     */
    private static final int MOST_PAIRS_ASKED = ShardOutages.OUTAGES_BEFORE_SKIPPING + 1;

    /** One shard, two orders audited at once. */
    private final InMemoryStack stack =
            new InMemoryStack(new AuditSettings(100, 2, Duration.ofMillis(200), Duration.ofHours(1)));

    private final AuditService audit = stack.audit();

    private AuditReport run() {
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            audit.runShard(shard.get());
        }
        return audit.report(InMemoryStack.TENANT, runId).orElseThrow();
    }

    /** {@link #SILENT_PAIRS} orders, each its own version of one key (a pair each), first in the page. */
    private List<Order> ordersOfDistinctPairs(CustomerKey key) {
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < SILENT_PAIRS; i++) {
            String version = i == 0
                    ? key.keyUrl()
                    : stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).keyId();
            orders.add(stack.customerManagedOrder(
                    new OrderRef(InMemoryStack.TENANT, new OrderName("a-" + i)), key, version));
        }
        return orders;
    }

    private List<Order> healthyOrdersLastInThePage() {
        CustomerKey healthy = stack.customerKey();
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            orders.add(stack.customerManagedOrder(
                    new OrderRef(InMemoryStack.TENANT, new OrderName("z-" + i)), healthy, healthy.keyUrl()));
        }
        return orders;
    }

    /**
     * Before: each pair cost the vault's deadline, two at a time, so the shard held its slot five deadlines (about 30
     * s each on Azure: 19 minutes for a page of 600 pairs) and called the silent vault ten times.
     */
    @Test
    void aShardStopsCallingAVaultThatAnsweredItsFirstPairsOnlyWithOutages() {
        CustomerKey silent = stack.customerKey();
        List<Order> silentOrders = ordersOfDistinctPairs(silent);
        healthyOrdersLastInThePage();
        assertThat(run().healthy()).isEqualTo(SILENT_PAIRS + 3);
        Map<OrderName, KeyHealth> before = new ConcurrentHashMap<>();
        silentOrders.forEach(o -> before.put(o.name(), stack.stored(o.ref()).keyHealth()));
        int events = stack.events.summary().size();

        stack.keyVault.silence(silent.vaultUrl(), DEADLINE);
        int calls = stack.keyVault.calls(silent.vaultUrl());
        long started = System.nanoTime();
        AuditReport report = run();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(stack.keyVault.calls(silent.vaultUrl()) - calls)
                .as("the silent vault is called for the first pairs only")
                .isBetween(ShardOutages.OUTAGES_BEFORE_SKIPPING * CALLS_A_PAIR, MOST_PAIRS_ASKED * CALLS_A_PAIR);
        // A pair's proof takes two deadlines here; before, five rounds of them took ten.
        assertThat(took)
                .as("one or two proofs' time, not one a round")
                .isLessThan(DEADLINE.multipliedBy(CALLS_A_PAIR * 3));
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.ordersChecked()).isEqualTo(SILENT_PAIRS + 3);
        assertThat(report.healthy())
                .as("the other vault's orders, in the same shard")
                .isEqualTo(3);
        assertThat(report.notAudited()).isEqualTo(SILENT_PAIRS);
        assertThat(report.accessLost()).isZero();
        assertThat(report.findings()).isEmpty();
        silentOrders.forEach(o -> assertThat(stack.stored(o.ref()).keyHealth()).isEqualTo(before.get(o.name())));
        assertThat(stack.events.summary()).hasSize(events);

        // The next run asks again.
        stack.keyVault.recover();
        assertThat(run().healthy()).isEqualTo(SILENT_PAIRS + 3);
    }

    /** A vault that throttles answers at once, with nothing but 429s: asked twice, not once a pair. */
    @Test
    void aThrottlingVaultIsNotAskedForEveryPair() {
        CustomerKey throttling = stack.customerKey();
        ordersOfDistinctPairs(throttling);
        healthyOrdersLastInThePage();
        stack.keyVault.silence(throttling.vaultUrl(), Duration.ZERO);
        int calls = stack.keyVault.calls(throttling.vaultUrl());
        AuditReport report = run();
        assertThat(stack.keyVault.calls(throttling.vaultUrl()) - calls)
                .isLessThanOrEqualTo(MOST_PAIRS_ASKED * CALLS_A_PAIR);
        assertThat(report.notAudited()).isEqualTo(SILENT_PAIRS);
        assertThat(report.healthy()).isEqualTo(3);
    }

    /** The customer's verdicts are answers: every pair of a vault that refuses the identity is still proven. */
    @Test
    void aVaultRefusingTheIdentityIsAskedForEveryPair() {
        CustomerKey refusing = stack.customerKey();
        ordersOfDistinctPairs(refusing);
        stack.keyVault.revoke(refusing.vaultUrl(), refusing.wrappingIdentity(), Permission.values());
        AuditReport report = run();
        assertThat(report.accessLost()).isEqualTo(SILENT_PAIRS);
        assertThat(report.notAudited()).isZero();
        assertThat(report.findings())
                .hasSize(SILENT_PAIRS)
                .allSatisfy(
                        f -> assertThat(f.errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException));
    }

    /**
     * Resource Manager, slow and then answering outages: the shard's lookups beyond the audit's share wait for
     * one, and once two answered outages the others are not made. Before, all ten were made at once.
     */
    @Test
    void aShardStopsLookingUpIdentitiesOnceResourceManagerAnsweredOnlyOutages() {
        InMemoryStack twoLookups = new InMemoryStack(
                new AuditSettings(100, 2, 1, Duration.ofMillis(200), Duration.ofHours(1), Duration.ofDays(30), 2));
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < SILENT_PAIRS; i++) {
            CustomerKey key = twoLookups.customerKey();
            orders.add(twoLookups.customerManagedOrder(key, key.keyUrl()));
        }
        twoLookups.identities.beforeLookup(() -> sleep(DEADLINE));
        twoLookups.identities.unavailable(true);
        int lookups = twoLookups.identities.lookups();
        AuditService audit = twoLookups.audit();
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        for (Optional<AuditShard> shard = twoLookups.shards.take();
                shard.isPresent();
                shard = twoLookups.shards.take()) {
            audit.runShard(shard.get());
        }
        AuditReport report = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        // The first two, and one that may take its turn between their outages.
        assertThat(twoLookups.identities.lookups() - lookups)
                .isBetween(ShardOutages.OUTAGES_BEFORE_SKIPPING, ShardOutages.OUTAGES_BEFORE_SKIPPING + 1);
        assertThat(report.notAudited()).isEqualTo(SILENT_PAIRS);
        orders.forEach(
                o -> assertThat(twoLookups.stored(o.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy));
    }

    /**
     * Resource Manager's bound on calls waiting (8 here, 64 by default) counts the requests' lookups and the
     * audit's alike. The audit's lookups take at most a quarter of it, so that a request's lookups still get
     * theirs while a big audit waits on a slow Resource Manager. Before, the audit's orders, each giving its
     * slot up while it waited for its identity's lookup, took the whole bound, and every request's lookup was
     * refused as Resource Manager's outage.
     */
    @Test
    void requestsStillGetResourceManagerPermitsWhileTheAuditWaitsOnIt() throws Exception {
        int bound = 8;
        InMemoryStack armBound = new InMemoryStack(new AuditSettings(
                100,
                16,
                1,
                Duration.ofMillis(200),
                Duration.ofHours(1),
                Duration.ofDays(30),
                AuditSettings.directoryLookupsAtOnce(bound)));
        List<CustomerKey> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            CustomerKey key = armBound.customerKey();
            keys.add(key);
            armBound.customerManagedOrder(key, key.keyUrl());
        }
        armBound.identities.boundWaiting(bound);
        CountDownLatch armAnswers = new CountDownLatch(1);
        AtomicInteger waiting = new AtomicInteger();
        AtomicInteger mostAuditWaiting = new AtomicInteger();
        AtomicInteger auditWaiting = new AtomicInteger();
        armBound.identities.beforeLookup(() -> {
            boolean audits = Thread.currentThread().getName().startsWith("audit-");
            if (audits) {
                mostAuditWaiting.accumulateAndGet(auditWaiting.incrementAndGet(), Math::max);
            }
            waiting.incrementAndGet();
            try {
                armAnswers.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
                if (audits) {
                    auditWaiting.decrementAndGet();
                }
            }
        });
        AuditService audit = armBound.audit();
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        AuditShard shard = armBound.shards.take().orElseThrow();
        try (ExecutorService threads = Executors.newCachedThreadPool()) {
            Future<ShardResult> audited = threads.submit(() -> audit.runShard(shard));
            // The audit's lookups as many as they get: its share now, the whole bound before.
            awaitSteady(waiting);
            int requests = bound - AuditSettings.directoryLookupsAtOnce(bound);
            List<Future<?>> lookups = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                CustomerKey key = keys.get(i);
                lookups.add(threads.submit(() -> armBound.identities.findUserAssigned(key.identityId())));
            }
            awaitSteady(waiting);
            for (Future<?> lookup : lookups) {
                assertThat(lookup.isDone())
                        .as("a request's lookup waits on Resource Manager, not refused")
                        .isFalse();
            }
            armAnswers.countDown();
            for (Future<?> lookup : lookups) {
                assertThat(lookup.get(10, TimeUnit.SECONDS)).isNotNull();
            }
            ShardResult result = audited.get(10, TimeUnit.SECONDS);
            assertThat(result.healthy()).isEqualTo(12);
        }
        assertThat(mostAuditWaiting.get()).isEqualTo(AuditSettings.directoryLookupsAtOnce(bound));
        assertThat(audit.report(InMemoryStack.TENANT, runId).orElseThrow().notAudited())
                .isZero();
    }

    @Test
    void theAuditsShareIsAQuarterOfResourceManagersBound() {
        assertThat(AuditSettings.directoryLookupsAtOnce(64)).isEqualTo(16);
        assertThat(AuditSettings.directoryLookupsAtOnce(3)).isEqualTo(1);
    }

    /** Waits until {@code counter} has not moved for a while. */
    private static void awaitSteady(AtomicInteger counter) {
        int seen = -1;
        for (int i = 0; i < 100 && counter.get() != seen; i++) {
            seen = counter.get();
            sleep(Duration.ofMillis(100));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
