package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.inmemory.InMemoryStack;
import java.time.Duration;
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
        AuditShard first = stack.shards.take().orElseThrow();
        assertThat(first.index()).isZero();
        assertThat(first.orderNames()).hasSize(2);
    }

    @Test
    void aRunWithoutOrdersIsDoneAtOnce() {
        String runId = planner.start("test", null);
        assertThat(stack.shards.size()).isZero();
        assertThat(stack.auditRuns.report(runId).orElseThrow().status()).isEqualTo(AuditReport.Status.Succeeded);
    }
}
