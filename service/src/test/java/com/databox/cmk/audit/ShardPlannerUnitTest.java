package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ShardPlanner}: a run's shards, one page of orders each, each queuing the next. */
class ShardPlannerUnitTest {
    private final InMemoryStack stack =
            new InMemoryStack(new AuditSettings(2, 4, Duration.ofMillis(200), Duration.ofHours(1)));

    private final ShardPlanner planner = new ShardPlanner(stack.orders, stack.auditRuns, stack.shards, 2, stack.clock);

    @Test
    void startingARunQueuesItsFirstShardAndReadsNoOrder() {
        for (int i = 0; i < 5; i++) {
            stack.microsoftManagedOrder();
        }
        int pages = stack.orders.pageReads();
        int names = stack.orders.nameReads();
        AuditReport started = planner.start("test", InMemoryStack.TENANT);
        assertThat(stack.shards.size()).isEqualTo(1);
        assertThat(stack.orders.pageReads()).isEqualTo(pages);
        assertThat(stack.orders.nameReads()).isEqualTo(names);
        // The new run's report is known without reading it back, and is what its record says.
        assertThat(stack.auditRuns.reportsRead()).isZero();
        assertThat(stack.auditRuns.report(started.runId())).contains(started);
        assertThat(started.status()).isEqualTo(AuditReport.Status.Running);
    }

    @Test
    void eachShardReadsOnePageOnceAndQueuesTheNextUntilTheLast() {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(stack.microsoftManagedOrder().name().value());
        }
        int pages = stack.orders.pageReads();
        String runId = planner.start("test", InMemoryStack.TENANT).runId();
        List<List<String>> read = new ArrayList<>();
        for (var shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            assertThat(planned(runId).shards())
                    .as("the count is known at the last page only")
                    .isZero();
            read.add(takePage(shard.get()).stream()
                    .map(order -> order.name().value())
                    .toList());
            // The next shard is queued before this one's orders are audited.
            assertThat(stack.shards.size()).isEqualTo(read.size() < 3 ? 1 : 0);
        }
        assertThat(read).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(read.stream().flatMap(List::stream))
                .containsExactlyElementsOf(written.stream().sorted().toList());
        assertThat(stack.orders.pageReads() - pages).isEqualTo(3);
        assertThat(stack.orders.nameReads()).isZero();
        assertThat(planned(runId).shards()).isEqualTo(3);
    }

    @Test
    void theNextShardIsQueuedWhileThePageIsStillBeingParsed() {
        AuditShard first = firstShardOfThreeOrders();
        List<Integer> queuedWhileParsing = new ArrayList<>();
        stack.orders.parsePagesWith(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (stack.shards.size() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            queuedWhileParsing.add(stack.shards.size());
        });
        assertThat(takePage(first)).hasSize(2);
        assertThat(queuedWhileParsing).containsExactly(1);
        assertThat(stack.shards.take().orElseThrow().index()).isEqualTo(1);
    }

    @Test
    void thePageIsHandedOverWhileTheNextShardIsStillBeingQueued() throws Exception {
        AuditShard first = firstShardOfThreeOrders();
        CountDownLatch queuing = new CountDownLatch(1);
        CountDownLatch mayQueue = new CountDownLatch(1);
        stack.shards.beforeEnqueue(() -> {
            queuing.countDown();
            await(mayQueue);
        });
        ShardPage page = take(first);
        assertThat(page.orders()).hasSize(2);
        assertThat(queuing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(page.nextQueued()).isNotDone();
        assertThat(stack.shards.size()).isZero();

        mayQueue.countDown();
        page.awaitNextQueued();
        assertThat(stack.shards.take().orElseThrow().index()).isEqualTo(1);
    }

    @Test
    void aNextShardThatCouldNotBeQueuedFailsTheWait() {
        AuditShard first = firstShardOfThreeOrders();
        stack.shards.beforeEnqueue(() -> {
            throw new IllegalStateException("queue unavailable");
        });
        ShardPage page = take(first);
        assertThat(page.orders()).hasSize(2);
        assertThatThrownBy(page::awaitNextQueued).hasMessageContaining("queue unavailable");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aShardDeliveredAgainDoesNotQueueItsNextAgain() {
        AuditShard first = firstShardOfThreeOrders();
        takePage(first);
        takePage(first);
        assertThat(stack.shards.size()).isEqualTo(1);
        assertThat(stack.shards.take().orElseThrow().index()).isEqualTo(1);
    }

    @Test
    void aShardWhoseDeliveryDiedBeforeQueuingTheNextQueuesItWhenDeliveredAgain() {
        AuditShard first = firstShardOfThreeOrders();
        String runId = first.runId();
        takePage(first);
        // The crash: the link to shard 1 is written, its message never was.
        assertThat(stack.shards.take()).as("the message of shard 1, taken away").isPresent();
        stack.auditRuns.forgetQueued(runId, 1);

        List<OrderKeyState> again = takePage(first);
        assertThat(again).hasSize(2);
        AuditShard next = stack.shards.take().orElseThrow();
        assertThat(next.index()).isEqualTo(1);
        assertThat(takePage(next)).hasSize(1);
        assertThat(planned(runId).shards()).isEqualTo(2);
    }

    @Test
    void theTimersRunReadsEveryTenantsOrders() {
        stack.microsoftManagedOrder();
        Order elsewhere = stack.orderInAnotherTenant();
        String runId = planner.start("timer", null).runId();
        List<OrderKeyState> read = new ArrayList<>();
        for (var shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            read.addAll(takePage(shard.get()));
        }
        assertThat(read)
                .extracting(OrderKeyState::ref)
                .contains(elsewhere.ref())
                .hasSize(2);
        assertThat(planned(runId).tenantId()).isNull();
    }

    @Test
    void aShardSizeBeyondATableStoragePageIsRefused() {
        assertThatThrownBy(() -> new ShardPlanner(stack.orders, stack.auditRuns, stack.shards, 1001, stack.clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cmk.audit.shard-size");
        assertThatThrownBy(() -> new ShardPlanner(stack.orders, stack.auditRuns, stack.shards, 0, stack.clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Mutation testing (mt1): the bounds are inclusive: a shard of one order and one of a whole page are taken. */
    @Test
    void aShardSizeOfOneOrOfAWholeTableStoragePageIsTaken() {
        assertThatCode(() -> new ShardPlanner(stack.orders, stack.auditRuns, stack.shards, 1, stack.clock))
                .doesNotThrowAnyException();
        assertThatCode(() -> new ShardPlanner(stack.orders, stack.auditRuns, stack.shards, 1000, stack.clock))
                .doesNotThrowAnyException();
    }

    /** A run over three orders, pages of two: its first shard, taken from the queue. */
    private AuditShard firstShardOfThreeOrders() {
        for (int i = 0; i < 3; i++) {
            stack.microsoftManagedOrder();
        }
        planner.start("test", InMemoryStack.TENANT);
        return stack.shards.take().orElseThrow();
    }

    /** The shard's page, once the shard after it is queued, as a shard waits before it records itself done. */
    private List<OrderKeyState> takePage(AuditShard shard) {
        ShardPage page = take(shard);
        page.awaitNextQueued();
        return page.orders();
    }

    private ShardPage take(AuditShard shard) {
        return planner.takePage(
                planned(shard.runId()),
                stack.auditRuns.shardLink(shard.runId(), shard.index()).orElseThrow());
    }

    private PlannedRun planned(String runId) {
        return stack.auditRuns.planned(runId).orElseThrow();
    }
}
