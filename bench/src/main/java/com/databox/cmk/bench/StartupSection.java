package com.databox.cmk.bench;

import com.databox.cmk.bench.Launcher.Aot;
import com.databox.cmk.bench.Launcher.Variant;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Section 1, start-up: the app, the floor app and a minimal Quarkus REST app, each plain and with its trained
 * AOT cache, started in turn until their first 200; its time, CPU and peak RSS against the others'.
 */
final class StartupSection {
    private static final String SECTION = "1 start-up";

    private static final String CLASS_LOG = "-Xlog:class+load=info:file=classes.log";

    private final RunContext run;
    private final Report report;

    StartupSection(RunContext run) {
        this.run = run;
        this.report = run.report();
    }

    /** Each variant's samples (runs after the first), by key such as {@code app-aot}, in the order started. */
    private record Samples(
            Map<String, List<Double>> millis,
            Map<String, List<Double>> cpu,
            Map<String, List<Double>> rss,
            Map<String, List<Double>> startedIn,
            Map<String, Map<String, List<Double>>> threadCpu) {}

    void measure(List<Variant> variants) {
        run.log("1. Start-up: " + run.options().startupRuns()
                + " runs each (after one discarded warm-up run), interleaved");
        Samples samples = sample(variants);
        Map<String, Double> ms = new LinkedHashMap<>();
        samples.millis().forEach((k, v) -> ms.put(k, Stats.median(v)));
        reportTimesToFirst200(samples.millis(), ms);
        reportCpu(samples.cpu(), samples.threadCpu());
        reportQuarkusStartedIn(samples.startedIn());
        Map<String, Double> coverage = new LinkedHashMap<>();
        for (Variant v : variants) {
            coverage.put(v.name(), aotCoverage(v));
        }
        reportPeakRss(samples.rss());
        reportTargets(ms, coverage);
        ObjectNode raw = report.extra.putObject("startupRuns");
        samples.millis().forEach((k, v) -> raw.putPOJO(k + ".ms", v));
        samples.cpu().forEach((k, v) -> raw.putPOJO(k + ".cpuMs", v));
        samples.rss().forEach((k, v) -> raw.putPOJO(k + ".rssMiB", v));
        samples.threadCpu().forEach((k, v) -> raw.putPOJO(k + ".threadCpuMs", v));
    }

    /** Every variant plain, then every one with its AOT cache, once a round; the first round is not kept. */
    private Samples sample(List<Variant> variants) {
        record Run(Variant v, Aot aot) {
            String key() {
                return v.name() + (aot == Aot.ON ? "-aot" : "-plain");
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Aot aot : List.of(Aot.OFF, Aot.ON)) {
            variants.forEach(v -> runs.add(new Run(v, aot)));
        }
        Samples samples = new Samples(
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>());
        for (int round = 0; round <= run.options().startupRuns(); round++) {
            for (Run r : runs) {
                String name = r.key() + "-" + round;
                Launched process = run.launcher().launchVariant(r.v(), name, r.aot(), List.of());
                try {
                    long nanos = process.awaitOk(run.http(), r.v().readyUrl(), Duration.ofSeconds(60));
                    double cpuMs = process.cpuMillis();
                    Map<String, Double> threads = process.threadCpuMillis();
                    if (round > 0) {
                        samples.millis()
                                .computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(nanos / 1e6);
                        samples.cpu()
                                .computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(cpuMs);
                        threads.forEach((kind, ms) -> samples.threadCpu()
                                .computeIfAbsent(r.key(), k -> new TreeMap<>())
                                .computeIfAbsent(kind, k -> new ArrayList<>())
                                .add(ms));
                        samples.rss()
                                .computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(process.peakRssKib() / 1024.0);
                    }
                } finally {
                    process.close();
                }
                if (round > 0) {
                    Double quarkus = quarkusStartedIn(run.out().resolve("logs/" + name + ".log"));
                    if (quarkus != null) {
                        samples.startedIn()
                                .computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(quarkus);
                    }
                }
            }
        }
        return samples;
    }

    private String medianOfRuns() {
        return "median of " + run.options().startupRuns();
    }

    /** Each variant's time to its first 200 against the minimal app's, then the app's against the floor app's. */
    private void reportTimesToFirst200(Map<String, List<Double>> millis, Map<String, Double> ms) {
        Map<String, String> what = Map.of(
                "minimal", "minimal Quarkus REST app (GET /hello)",
                "floor", "floor app: Quarkus REST + smallrye-jwt + one Azure Tables read (GET /api/orders?top=1)",
                "app", "app (GET /api/orders?top=1)");
        for (String v : List.of("minimal", "floor", "app")) {
            for (String mode : List.of("plain", "aot")) {
                String key = v + "-" + mode;
                Double base = v.equals("minimal") ? null : ms.get("minimal-" + mode);
                report.add(
                        SECTION,
                        what.get(v) + ", " + (mode.equals("aot") ? "trained AOT cache" : "plain jar")
                                + ": to first 200",
                        ms.get(key),
                        "ms",
                        base,
                        base == null ? null : "minimal " + mode,
                        medianOfRuns() + " " + Stats.spread(millis.get(key)));
            }
        }
        report.add(
                SECTION,
                "app vs floor app, plain: to first 200",
                ms.get("app-plain"),
                "ms",
                ms.get("floor-plain"),
                "floor plain",
                null);
        report.add(
                SECTION,
                "app vs floor app, each with its trained AOT cache",
                ms.get("app-aot"),
                "ms",
                ms.get("floor-aot"),
                "floor AOT",
                null);
        report.add(
                SECTION,
                "app with its trained AOT cache vs plain",
                ms.get("app-aot"),
                "ms",
                ms.get("app-plain"),
                "app plain",
                null);
    }

    private void reportCpu(Map<String, List<Double>> cpu, Map<String, Map<String, List<Double>>> threadCpu) {
        for (String key : cpu.keySet()) {
            report.add(
                    SECTION,
                    key + ": process CPU time to first 200",
                    Stats.median(cpu.get(key)),
                    "ms",
                    key.startsWith("app") ? Stats.median(cpu.get(key.replace("app", "floor"))) : null,
                    key.startsWith("app") ? key.replace("app", "floor") : null,
                    "utime + stime, " + medianOfRuns() + "; steadier than wall time on a shared machine");
        }
        // Where the CPU up to the first 200 went, by thread (the threads alive then; a thread that had
        // ended is not counted, which the total above is).
        for (String key : threadCpu.keySet()) {
            String floorKey = key.replace("app", "floor");
            report.add(
                    SECTION,
                    key + ": CPU time to first 200 by thread",
                    ProcessCpu.sumOfMedians(threadCpu.get(key)),
                    "ms",
                    key.startsWith("app") && threadCpu.containsKey(floorKey)
                            ? ProcessCpu.sumOfMedians(threadCpu.get(floorKey))
                            : null,
                    key.startsWith("app") ? floorKey : null,
                    "medians of " + run.options().startupRuns() + ": " + ProcessCpu.medians(threadCpu.get(key))
                            + (key.startsWith("app") && threadCpu.containsKey(floorKey)
                                    ? "; " + floorKey + ": " + ProcessCpu.medians(threadCpu.get(floorKey))
                                    : ""));
        }
    }

    private void reportQuarkusStartedIn(Map<String, List<Double>> startedIn) {
        for (String key : startedIn.keySet()) {
            report.add(
                    SECTION,
                    key + ": Quarkus' own \"started in\"",
                    Stats.median(startedIn.get(key)),
                    "ms",
                    null,
                    null,
                    "from its log; the rest of the time to first 200 is JVM start and the first request");
        }
    }

    private void reportPeakRss(Map<String, List<Double>> rss) {
        for (String key : rss.keySet()) {
            report.add(
                    SECTION,
                    "peak RSS at first 200: " + key,
                    Stats.median(rss.get(key)),
                    "MiB",
                    key.startsWith("minimal") ? null : Stats.median(rss.get(key.replaceFirst("^[a-z]+", "minimal"))),
                    key.startsWith("minimal") ? null : key.replaceFirst("^[a-z]+", "minimal"),
                    "VmHWM, " + medianOfRuns());
        }
    }

    private void reportTargets(Map<String, Double> ms, Map<String, Double> coverage) {
        double appPlain = ms.get("app-plain");
        double appAot = ms.get("app-aot");
        double floorPlain = ms.get("floor-plain");
        double floorAot = ms.get("floor-aot");
        report.target(
                "first 200, plain jar: within 1.10x the floor app",
                appPlain / floorPlain <= 1.10,
                String.format(
                        Locale.ROOT,
                        "app %.0f ms / floor %.0f ms = %.2fx",
                        appPlain,
                        floorPlain,
                        appPlain / floorPlain));
        report.target(
                "first 200 with the trained AOT cache: at least 2.0x faster than plain",
                appPlain / appAot >= 2.0,
                String.format(
                        Locale.ROOT,
                        "plain %.0f ms / AOT %.0f ms = %.2fx faster",
                        appPlain,
                        appAot,
                        appPlain / appAot));
        report.target(
                "first 200 with the trained AOT cache: within 1.10x the floor app with its own",
                appAot / floorAot <= 1.10,
                String.format(Locale.ROOT, "app %.0f ms / floor %.0f ms = %.2fx", appAot, floorAot, appAot / floorAot));
        Double appCoverage = coverage.get("app");
        report.target(
                "at least 90% of the classes loaded up to the first 200 served by the AOT cache",
                appCoverage != null && appCoverage >= 0.9,
                appCoverage == null
                        ? "unknown (see the notes)"
                        : String.format(
                                Locale.ROOT,
                                "%.1f%% (floor %.1f%%, minimal %.1f%%)",
                                appCoverage * 100,
                                coverage.getOrDefault("floor", Double.NaN) * 100,
                                coverage.getOrDefault("minimal", Double.NaN) * 100));
    }

    /** The share of the classes loaded up to the first 200 that came from the AOT cache (one untimed run). */
    private Double aotCoverage(Variant v) {
        String name = v.name() + "-aot-classes";
        Launched process = run.launcher().launchVariant(v, name, Aot.ON, List.of(CLASS_LOG));
        try {
            process.awaitOk(run.http(), v.readyUrl(), Duration.ofSeconds(60));
        } finally {
            process.close();
        }
        try {
            List<String> lines = Files.readAllLines(v.dir().resolve("classes.log"));
            long total = lines.stream().filter(l -> l.contains("source:")).count();
            long cached = lines.stream()
                    .filter(l -> l.contains("source: shared objects file"))
                    .count();
            Files.move(
                    v.dir().resolve("classes.log"),
                    run.out().resolve("logs/" + name + ".log"),
                    StandardCopyOption.REPLACE_EXISTING);
            report.add(
                    SECTION,
                    v.name() + ", trained AOT cache: classes loaded from the cache up to the first 200",
                    cached,
                    "classes",
                    (double) total,
                    "all loaded",
                    "ratio = share served by the cache");
            return total == 0 ? null : cached / (double) total;
        } catch (IOException e) {
            report.notes.add("AOT coverage of " + v.name() + " unknown: " + e);
            return null;
        }
    }

    private static Double quarkusStartedIn(Path log) {
        try {
            Matcher m = Pattern.compile("started in ([0-9.]+)s").matcher(Files.readString(log));
            return m.find() ? Double.parseDouble(m.group(1)) * 1000 : null;
        } catch (IOException e) {
            return null;
        }
    }
}
