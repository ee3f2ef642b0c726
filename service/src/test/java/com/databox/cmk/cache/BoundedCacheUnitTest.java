package com.databox.cmk.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedCacheUnitTest {
    private final AtomicLong now = new AtomicLong();
    private final BoundedCache<String, String> cache = new BoundedCache<>(3, Duration.ofMinutes(10), now::get);

    @Test
    void keepsAtMostItsSizeDroppingTheLeastRecentlyUsed() {
        cache.get("a", k -> "A");
        cache.get("b", k -> "B");
        cache.get("c", k -> "C");
        cache.get("a", k -> "made again");
        cache.get("d", k -> "D");

        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("a", k -> "made again")).as("used last, kept").isEqualTo("A");
        assertThat(cache.get("b", k -> "B again"))
                .as("least recently used, dropped")
                .isEqualTo("B again");
    }

    @Test
    void dropsAValueUnusedForTooLong() {
        AtomicInteger made = new AtomicInteger();
        cache.get("a", k -> "A" + made.incrementAndGet());
        now.addAndGet(Duration.ofMinutes(9).toNanos());
        assertThat(cache.get("a", k -> "A" + made.incrementAndGet())).isEqualTo("A1");

        now.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(cache.size()).isZero();
        assertThat(cache.get("a", k -> "A" + made.incrementAndGet())).isEqualTo("A2");
    }

    @Test
    void findsAValueWithoutMakingOne() {
        assertThat(cache.find("a")).isEmpty();
        assertThat(cache.size()).as("nothing made").isZero();

        cache.get("a", k -> "A");
        now.addAndGet(Duration.ofMinutes(9).toNanos());
        assertThat(cache.find("a")).contains("A");
        now.addAndGet(Duration.ofMinutes(9).toNanos());
        assertThat(cache.find("a")).as("found: a use, as a get is").contains("A");
        now.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(cache.find("a")).as("unused for too long").isEmpty();
    }

    @Test
    void tenThousandDistinctKeysKeepOnlyItsSize() {
        for (int i = 0; i < 10_000; i++) {
            cache.get("key-" + i, k -> k);
        }
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void replacesAValueNoLongerUsableAndStoresNothingWhenMakingFails() {
        cache.get("a", value -> true, k -> "stale");

        assertThat(cache.get("a", value -> !value.equals("stale"), k -> "fresh"))
                .isEqualTo("fresh");
        assertThat(cache.get("a", value -> true, k -> "made again")).isEqualTo("fresh");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.get("b", value -> true, k -> {
                    throw new IllegalStateException("refused");
                }))
                .hasMessage("refused");
        assertThat(cache.get("b", value -> true, k -> "B")).isEqualTo("B");
    }

    /**
     * Keys used once each, however many (a caller sending ever new key URLs, application IDs or tokens),
     * push out only one another, never a value used again since it was made.
     */
    @Test
    void keysUsedOnceNeverPushOutAValueUsedAgain() {
        BoundedCache<String, String> five = new BoundedCache<>(5, Duration.ofMinutes(10), now::get);
        five.get("served", k -> "S");
        five.get("served", k -> "made again");
        for (int i = 0; i < 10_000; i++) {
            five.get("once-" + i, k -> k);
        }
        assertThat(five.size()).isEqualTo(5);
        assertThat(five.find("served")).contains("S");
        assertThat(five.find("once-9999")).as("the latest used once, kept").contains("once-9999");
        assertThat(five.find("once-0")).isEmpty();
    }

    @Test
    void aCacheOfOneKeepsItsValueWhileItIsUsed() {
        BoundedCache<String, String> one = new BoundedCache<>(1, Duration.ofMinutes(10), now::get);
        one.get("a", k -> "A");
        assertThat(one.get("a", k -> "made again")).isEqualTo("A");
        assertThat(one.get("a", k -> "made again")).isEqualTo("A");
        one.get("b", k -> "B");
        assertThat(one.size()).isEqualTo(1);
        assertThat(one.find("b")).contains("B");
    }
}
