package com.databox.cmk.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What section 3's sizes add up to, size after size: each key count's first size (the base of the others),
 * the evidence of its four targets, the sizes left unfinished and the profile to print; then the targets.
 */
final class AuditVerdicts {
    private final Map<Integer, Double> firstRss = new LinkedHashMap<>();
    private final Map<Integer, Double> firstRate = new LinkedHashMap<>();
    private final List<String> callEvidence = new ArrayList<>();
    private final List<String> rssEvidence = new ArrayList<>();
    private final List<String> rateEvidence = new ArrayList<>();
    private final List<String> unfinished = new ArrayList<>();
    private final List<Integer> measuredSizes = new ArrayList<>();
    private boolean proportional = true;
    private boolean flat = true;
    private boolean fastEnough = true;
    private Path auditRecording;
    private String auditLabel;

    /** A size not measured to the end, also in the notes. */
    void unfinished(Report report, String what) {
        unfinished.add(what);
        report.notes.add("audit of " + unfinished.getLast());
    }

    boolean anyProfiled() {
        return auditRecording != null;
    }

    /** The recording of the latest size profiled: the one printed. */
    void profiled(Path recording, String label) {
        auditRecording = recording;
        auditLabel = label;
    }

    /** A size whose first run finished; the first of its key count is the others' base. */
    void measured(int orders, int keys, double firstRunRate, double rssMiB) {
        measuredSizes.add(orders);
        firstRate.putIfAbsent(keys, firstRunRate);
        firstRss.putIfAbsent(keys, rssMiB);
    }

    double firstRate(int keys) {
        return firstRate.get(keys);
    }

    double firstRss(int keys) {
        return firstRss.get(keys);
    }

    void keyVaultCalls(String label, long calls, int keys, boolean allChecked) {
        callEvidence.add(
                String.format(Locale.ROOT, "%s: %d calls (%.1f per pair)", label, calls, calls / (double) keys));
        proportional &= calls <= 4L * keys && allChecked;
    }

    void peakRss(String label, double rssMiB, int keys) {
        rssEvidence.add(String.format(Locale.ROOT, "%s: %.0f MiB", label, rssMiB));
        flat &= rssMiB <= firstRss.get(keys) * 1.1;
    }

    void warmRate(String evidence, boolean halfTheRawRead) {
        rateEvidence.add(evidence);
        fastEnough &= halfTheRawRead;
    }

    void warmRunUnfinished() {
        fastEnough = false;
    }

    /** The profile of the last size profiled, then the section's four targets; {@code largestAsked} in orders. */
    void report(RunContext run, int largestAsked) throws IOException {
        Report report = run.report();
        if (auditRecording != null) {
            Profiles.report(run, "audit", "Profile of the app during the audit of " + auditLabel, auditRecording);
        }
        report.target(
                "audit Key Vault calls proportional to distinct (key version, identity) pairs",
                proportional && !callEvidence.isEmpty(),
                String.join("; ", callEvidence));
        int largest = measuredSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        String reach = largest >= 100_000
                ? ""
                : String.format(
                        Locale.ROOT,
                        " — measured only up to %,d orders here (%s), so flat up to that size",
                        largest,
                        largestAsked >= 100_000 ? "see the notes" : "the most --audit-sizes asked for");
        int smallest = measuredSizes.stream().mapToInt(Integer::intValue).min().orElse(0);
        // Flat over less than a tenfold range of sizes shows nothing: not met until it is measured.
        report.target(
                "audit peak RSS at 100k orders within 1.1x of the 1k run",
                flat && largest >= 100_000 && smallest > 0,
                String.join("; ", rssEvidence) + reach);
        report.target(
                "audit rate at least 0.5x a raw paged read of the same orders",
                fastEnough && !rateEvidence.isEmpty(),
                String.join("; ", rateEvidence));
        report.target(
                "100k orders audited within the budget",
                largest >= 100_000,
                unfinished.isEmpty()
                        ? String.format(Locale.ROOT, "largest audited: %,d orders", largest)
                        : String.join("; ", unfinished));
    }
}
