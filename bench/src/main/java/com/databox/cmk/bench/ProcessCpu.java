package com.databox.cmk.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The CPU time of the stack's processes (the app, Azurite's two, the emulator, the harness), from
 * {@code /proc}: what a step cost each of them, and waiting until they are quiet before the next step.
 */
final class ProcessCpu {
    private ProcessCpu() {}

    static final long SETTLE_WINDOW_MILLIS = 200;

    /** The most CPU the stack may spend in a {@link #SETTLE_WINDOW_MILLIS} window and be called quiet: 5 % of a core. */
    static final double QUIET_CPU_MILLIS = SETTLE_WINDOW_MILLIS / 20.0;

    static final long SETTLE_GIVE_UP_MILLIS = 5_000;

    /**
     * Waits until the processes measured are quiet, so that what one step leaves running is not charged to
     * the next: the harness's JIT compiles its parsing for a while after a raw read, and the app compiles
     * after an audit, on the same two cores. Each raw read and each audit starts on a quiet stack.
     *
     * @return the ms waited; {@link #SETTLE_GIVE_UP_MILLIS} when the stack never became quiet
     */
    static double settle(Map<String, Long> pids) {
        long t0 = System.nanoTime();
        long giveUp = t0 + TimeUnit.MILLISECONDS.toNanos(SETTLE_GIVE_UP_MILLIS);
        Map<String, Double> before = snapshot(pids);
        while (System.nanoTime() < giveUp) {
            Launched.sleep(SETTLE_WINDOW_MILLIS);
            Map<String, Double> after = snapshot(pids);
            if (totalSince(before, after) <= QUIET_CPU_MILLIS) {
                break;
            }
            before = after;
        }
        return Math.min(SETTLE_GIVE_UP_MILLIS, (System.nanoTime() - t0) / 1e6);
    }

    /** "waits of 200 to 1,400 ms", and how many never became quiet. */
    static String settled(List<Double> waits) {
        long gaveUp = waits.stream().filter(w -> w >= SETTLE_GIVE_UP_MILLIS).count();
        return String.format(Locale.ROOT, "waits of %.0f to %.0f ms", Collections.min(waits), Collections.max(waits))
                + (gaveUp == 0
                        ? ""
                        : String.format(Locale.ROOT, " (%d never quiet within %d ms)", gaveUp, SETTLE_GIVE_UP_MILLIS));
    }

    /** CPU time so far of each named process, in ms. */
    static Map<String, Double> snapshot(Map<String, Long> pids) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpu.put(name, Launched.cpuMillis(pid)));
        return cpu;
    }

    /** Adds each process's CPU between {@code before} and {@code after} to its list, and their sum as "total". */
    static void addSince(Map<String, Double> before, Map<String, Double> after, Map<String, List<Double>> spent) {
        for (var process : after.entrySet()) {
            spent.computeIfAbsent(process.getKey(), k -> new ArrayList<>())
                    .add(process.getValue() - before.get(process.getKey()));
        }
        spent.computeIfAbsent("total", k -> new ArrayList<>()).add(totalSince(before, after));
    }

    /** The CPU all the processes spent between {@code before} and {@code after}, in ms. */
    static double totalSince(Map<String, Double> before, Map<String, Double> after) {
        double total = 0;
        for (var process : after.entrySet()) {
            total += process.getValue() - before.get(process.getKey());
        }
        return total;
    }

    static double medianTotal(Map<String, List<Double>> spent) {
        return Stats.median(spent.get("total"));
    }

    /** The sum of each part's median (the threads of one process, say). */
    static double sumOfMedians(Map<String, List<Double>> spent) {
        return spent.values().stream().mapToDouble(Stats::median).sum();
    }

    /** "name 120 ms, ..." with each process's median, the total last; CPU time is counted in 10 ms ticks. */
    static String medians(Map<String, List<Double>> spent) {
        return spent.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.0f ms", e.getKey(), Stats.median(e.getValue())))
                .collect(Collectors.joining(", "));
    }
}
