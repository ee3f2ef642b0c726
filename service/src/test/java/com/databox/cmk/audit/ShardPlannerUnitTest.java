package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.inmemory.InMemoryStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ShardPlanner}: splitting a run into shards of order names. */
class ShardPlannerUnitTest {
    private final InMemoryStack stack = new InMemoryStack(new AuditSettings(2, 4, Duration.ofMillis(200)));

    private final ShardPlanner planner = new ShardPlanner(stack.orders, stack.auditRuns, stack.shards, 2, stack.clock);

    @Test
    void queuesOneShardPerPageOfOrderNames() {
        for (int i = 0; i < 5; i++) {
            stack.microsoftManagedOrder();
        }
        String runId = planner.start("test", null);
        assertThat(stack.shards.size()).isEqualTo(3);
        assertThat(stack.auditRuns.report(runId).orElseThrow().shards()).isEqualTo(3);
        // A page's shards are sent at once, so the queue holds them in any order, as a real queue may.
        List<AuditShard> shards = taken();
        assertThat(shards).extracting(AuditShard::index).containsExactly(0, 1, 2);
        assertThat(shards).extracting(shard -> shard.orderNames().size()).containsExactly(2, 2, 1);
    }

    @Test
    void readsTheNamesOfManyShardsAtOnceAndKeepsThemInOrder() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add(stack.microsoftManagedOrder().name().value());
        }
        int reads = stack.orders.nameReads();
        planner.start("test", null);
        assertThat(stack.orders.nameReads() - reads).isEqualTo(1);
        assertThat(taken().stream().flatMap(shard -> shard.orderNames().stream()))
                .containsExactlyElementsOf(names.stream().sorted().toList());
    }

    private List<AuditShard> taken() {
        List<AuditShard> shards = new ArrayList<>();
        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            shards.add(shard.get());
        }
        shards.sort(Comparator.comparingInt(AuditShard::index));
        return shards;
    }

    @Test
    void aRunWithoutOrdersIsDoneAtOnce() {
        String runId = planner.start("test", null);
        assertThat(stack.shards.size()).isZero();
        assertThat(stack.auditRuns.report(runId).orElseThrow().status()).isEqualTo(AuditReport.Status.Succeeded);
    }
}
