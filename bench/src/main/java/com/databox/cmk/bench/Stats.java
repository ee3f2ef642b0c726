package com.databox.cmk.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Medians and percentiles of a run's samples, and their text in the rows' notes. */
final class Stats {
    private Stats() {}

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** Nearest rank. */
    static double percentile(List<Double> values, double p) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String spread(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "(min %.0f, max %.0f)", sorted[0], sorted[sorted.length - 1]);
    }

    /** The values each formatted with {@code format}, comma-separated. */
    static String joined(List<Double> values, String format) {
        return values.stream().map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", "));
    }
}
