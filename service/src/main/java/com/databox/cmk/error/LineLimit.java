package com.databox.cmk.error;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * At most one line of a kind per period: the first at once, then the first after each period, which says how many
 * were held back meanwhile. For a line an outage writes once a call, outside a request, where nothing else bounds
 * it: during an audit, Resource Manager not answering wrote one line an identity, so one an order with a
 * system-assigned identity, every run (bug bash ob1 F2). Two fields under one lock: thread-safe, and bounded
 * whatever the number of lines.
 */
public final class LineLimit {
    private final Duration period;
    private final Clock clock;
    private Instant lastWritten;
    private long heldBack;

    public LineLimit(Duration period, Clock clock) {
        this.period = period;
        this.clock = clock;
    }

    /**
     * Whether a line may be written now: if so, how many were held back since the last one written (counted again
     * from none); empty when this one is held back, and counted.
     */
    public synchronized OptionalLong admit() {
        Instant now = clock.instant();
        if (lastWritten != null && now.isBefore(lastWritten.plus(period))) {
            heldBack++;
            return OptionalLong.empty();
        }
        long held = heldBack;
        lastWritten = now;
        heldBack = 0;
        return OptionalLong.of(held);
    }

    /** {@code " (N more held back since the last such line)"} for a count above none; empty for none. */
    public static String heldBackNote(long heldBack) {
        return heldBack == 0 ? "" : " (" + heldBack + " more held back since the last such line)";
    }
}
