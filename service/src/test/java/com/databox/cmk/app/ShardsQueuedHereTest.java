package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.Pause;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The local dispatcher's wake-up: a shard queued here ends its idle wait at once. */
class ShardsQueuedHereTest {
    private final ShardsQueuedHere signal = new ShardsQueuedHere();

    @Test
    void aShardQueuedWhileTheDispatcherWaitsWakesItAtOnce() throws Exception {
        Thread.ofVirtual().start(() -> {
            Pause.millis(100);
            signal.queued();
        });
        long started = System.nanoTime();
        signal.await(Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shardsQueuedBeforeTheWaitWakeItOnceNotOncePerShard() throws Exception {
        signal.queued();
        signal.queued();
        signal.queued();
        long started = System.nanoTime();
        signal.await(Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        started = System.nanoTime();
        signal.await(Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }
}
