package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A drain starts each shard within its budget: the shards of a batch it took as the budget ran out
 * go back on the queue at once, not audited past the budget (and the function's timeout) nor held
 * invisible for a visibility.
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class ShardDrainBudgetTest {
    @Inject
    AuditShardDrain drain;

    private QueueClient shards;

    @BeforeEach
    void emptyShardQueue() {
        shards = new QueueClientBuilder()
                .connectionString(LambdaAzurite.shared().connectionString())
                .queueName("cmk-audit-shards")
                .messageEncoding(QueueMessageEncoding.BASE64)
                .buildClient();
        shards.createIfNotExists();
        shards.clearMessages();
    }

    @AfterEach
    void restore() {
        drain.clock = Clock.systemUTC();
        shards.clearMessages();
    }

    @Test
    void shardsTakenAsTheBudgetRunsOutGoBackAtOnce() {
        for (int i = 0; i < 4; i++) {
            // Not a shard: its audit fails at once, which is all this test needs of it.
            shards.sendMessage("not a shard " + i);
        }
        // The budget's start, the loop's check and the first shard's check see the start; the
        // other shards of the batch of 4 see the budget spent.
        drain.clock = clockThatRunsOutAfter(3);

        AuditShardDrain.DrainResult result = drain.drain();

        assertThat(result.shardsRun() + result.shardsFailed())
                .as(result.toString())
                .isEqualTo(1);
        assertThat(result.shardsLeft()).isEqualTo(3);
        assertThat(shards.peekMessages(32, null, null).stream().count())
                .as("given back, visible again at once")
                .isEqualTo(3);
    }

    @Test
    void aDrainWithinItsBudgetTakesEveryShard() {
        for (int i = 0; i < 4; i++) {
            shards.sendMessage("not a shard " + i);
        }

        AuditShardDrain.DrainResult result = drain.drain();

        assertThat(result.shardsFailed()).as(result.toString()).isEqualTo(4);
        assertThat(result.shardsLeft()).isZero();
    }

    /** A clock at one instant for its first {@code reads} reads, a day later from then on. */
    private static Clock clockThatRunsOutAfter(int reads) {
        Instant start = Instant.now();
        AtomicInteger read = new AtomicInteger();
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return read.incrementAndGet() <= reads ? start : start.plus(Duration.ofDays(1));
            }
        };
    }
}
