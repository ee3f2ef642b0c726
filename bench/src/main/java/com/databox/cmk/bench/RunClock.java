package com.databox.cmk.bench;

import java.util.Locale;

/**
 * The run's clock, which starts with scripts/benchmark.sh (the build included): the seconds on each progress
 * line, and the end of the sections' budget (--budget-seconds).
 */
record RunClock(long startedAtMillis, long deadlineMillis) {
    double secondsSoFar() {
        return (System.currentTimeMillis() - startedAtMillis) / 1000.0;
    }

    void log(String message) {
        System.out.printf(Locale.ROOT, "[%5.0f s] %s%n", secondsSoFar(), message);
    }
}
