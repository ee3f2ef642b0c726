package com.databox.cmk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A test's wait, an interrupt ending it. */
public final class Pause {
    private Pause() {}

    public static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Until {@code condition} holds, asked every 20 ms; fails the test when it does not within {@code within}. */
    public static void until(BooleanSupplier condition, Duration within) {
        until("the condition", condition, within);
    }

    /** As {@link #until(BooleanSupplier, Duration)}, {@code what} naming the condition when it fails. */
    public static void until(String what, BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            millis(20);
        }
        assertThat(condition.getAsBoolean()).as("%s, within %s", what, within).isTrue();
    }
}
