package com.databox.cmk.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.inmemory.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LineLimitUnitTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-08T00:00:00Z"));
    private final LineLimit limit = new LineLimit(Duration.ofMinutes(1), clock);

    @Test
    void theFirstLineIsWrittenThenOneAPeriodSayingHowManyWereHeldBack() {
        assertThat(limit.admit()).isEqualTo(OptionalLong.of(0));
        for (int held = 0; held < 7; held++) {
            clock.advance(Duration.ofSeconds(5));
            assertThat(limit.admit()).isEmpty();
        }
        clock.advance(Duration.ofSeconds(25));

        assertThat(limit.admit()).isEqualTo(OptionalLong.of(7));
        assertThat(limit.admit()).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(limit.admit()).isEqualTo(OptionalLong.of(1));
    }

    @Test
    void heldBackLinesAreNoted() {
        assertThat(LineLimit.heldBackNote(0)).isEmpty();
        assertThat(LineLimit.heldBackNote(3)).isEqualTo(" (3 more held back since the last such line)");
    }

    @Test
    void manyThreadsAtOnceWriteOneLineAndCountEveryOther() throws InterruptedException {
        AtomicLong written = new AtomicLong();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                threads.submit(() -> limit.admit().ifPresent(held -> written.incrementAndGet()));
            }
        }
        clock.advance(Duration.ofMinutes(1));

        assertThat(written).hasValue(1);
        assertThat(limit.admit()).isEqualTo(OptionalLong.of(999));
    }
}
