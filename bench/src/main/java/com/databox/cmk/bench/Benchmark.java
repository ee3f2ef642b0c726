package com.databox.cmk.bench;

import static com.databox.cmk.bench.Launcher.appUrl;
import static com.databox.cmk.bench.Launcher.floorUrl;

import com.databox.cmk.bench.Launcher.Aot;
import com.databox.cmk.bench.Launcher.Kind;
import com.databox.cmk.bench.Launcher.Variant;
import com.databox.cmk.bench.OperationsSection.OpsFixture;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark harness (README "Performance", docs/BENCHMARK.md; run it with scripts/benchmark.sh). Every figure
 * is set against a floor measured in the same run: start-up against a minimal Quarkus REST
 * app built here, operations against the same Key Vault and Table calls made directly with
 * the SDK, audit sizes against the smallest one. All load goes to 127.0.0.1.
 */
public final class Benchmark {
    private final Path root;
    private final Path out;
    private final Options options;
    private final RunClock clock;
    private final Report report = new Report();
    private final Http http = new Http();
    private final List<String> loads = new ArrayList<>();

    record Options(
            int startupRuns,
            int opSamples,
            int opWarmup,
            int throughputSeconds,
            List<Integer> auditSizes,
            List<Integer> auditKeys,
            int budgetSeconds,
            Set<String> sections,
            int profileRepeats) {
        static final Set<String> ALL_SECTIONS = Set.of("startup", "operations", "throughput", "audit", "tls");

        static final Set<String> NAMES = Set.of(
                "startup-runs",
                "op-samples",
                "op-warmup",
                "throughput-seconds",
                "audit-sizes",
                "audit-keys",
                "budget-seconds",
                "sections",
                "profile-repeats");

        /** Refuses what it does not know, so that a mistyped option never starts a run of many minutes. */
        static Options parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                String name = args[i].startsWith("--") ? args[i].substring(2) : "";
                if (!NAMES.contains(name) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("Unknown option or option without a value: " + args[i]
                            + "; the options are --"
                            + String.join(" N, --", NAMES.stream().sorted().toList())
                            + " N");
                }
                a.put(name, args[i + 1]);
            }
            return new Options(
                    Integer.parseInt(a.getOrDefault("startup-runs", "9")),
                    Integer.parseInt(a.getOrDefault("op-samples", "300")),
                    Integer.parseInt(a.getOrDefault("op-warmup", "20")),
                    Integer.parseInt(a.getOrDefault("throughput-seconds", "3")),
                    ints(a.getOrDefault("audit-sizes", "1000,10000,100000")),
                    ints(a.getOrDefault("audit-keys", "10,100")),
                    Integer.parseInt(a.getOrDefault("budget-seconds", Integer.toString(DEFAULT_BUDGET_SECONDS))),
                    sections(a.getOrDefault("sections", String.join(",", ALL_SECTIONS))),
                    Integer.parseInt(a.getOrDefault("profile-repeats", "1")));
        }

        /** Which sections to run: startup (1), operations (2), audit (3), throughput (4), tls (5). */
        private static Set<String> sections(String csv) {
            Set<String> sections =
                    Set.copyOf(Arrays.stream(csv.split(",")).map(String::trim).toList());
            if (sections.isEmpty() || !ALL_SECTIONS.containsAll(sections)) {
                throw new IllegalArgumentException("--sections takes some of " + ALL_SECTIONS + ", not " + csv);
            }
            return sections;
        }

        /** Every section by default; e.g. {@code --sections operations,throughput} for the per-request parts alone. */
        boolean runs(String section) {
            return sections.contains(section);
        }

        private static List<Integer> ints(String csv) {
            return Arrays.stream(csv.split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .toList();
        }
    }

    /**
     * What the sections may take, the build included (--budget-seconds). 570 s until 2026-12-01: on a day when
     * other sessions loaded the machine, the sections before the audit took 380 s of it, and the audit had room
     * for 91,000 of the 100,000 orders.
     */
    static final int DEFAULT_BUDGET_SECONDS = 690;

    /** Left at the budget's end to write the results and stop the stack. */
    static final int FINISH_SECONDS = 30;

    private Benchmark(Path root, long scriptStartMillis, Options options) {
        this.root = root;
        this.out = root.resolve("target/benchmark");
        this.options = options;
        this.clock = new RunClock(scriptStartMillis, scriptStartMillis + options.budgetSeconds() * 1000L);
    }

    public static void main(String[] args) throws Exception {
        Path root =
                Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        long started = Long.parseLong(
                System.getProperty("bench.started-at-millis", Long.toString(System.currentTimeMillis())));
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Benchmark bench = new Benchmark(root, started, options);
        int status = 0;
        try {
            bench.run();
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private void run() throws Exception {
        Files.createDirectories(out.resolve("logs"));
        boolean yardsticksNeeded = options.runs("startup") || options.runs("operations") || options.runs("throughput");
        Map<String, Path> yardsticks = Map.of();
        if (yardsticksNeeded) {
            clock.log("Building the yardsticks: a minimal Quarkus REST app and the floor app");
            yardsticks = YardstickApps.build(root, out.resolve("yardsticks"), out.resolve("logs"));
        }
        clock.log("Starting Azurite and the Key Vault emulator");
        LocalServices stack = LocalServices.start(root, out);
        SdkFloor floor = null;
        try {
            EmulatorAdmin admin = new EmulatorAdmin(http, stack);
            http.bearer(admin.callerToken());
            floor = new SdkFloor(
                    stack.settings.get("EMULATOR_CA_CERT"),
                    LocalServices.connectionString(),
                    "orders",
                    stack.settings.get("EMULATOR_TENANT_ID"));
            Launcher launcher = new Launcher(root, out, stack);
            RunContext run = new RunContext(out, options, clock, report, http, stack, floor, launcher, admin);
            List<Variant> variants = List.of(
                    new Variant("minimal", yardsticks.get("minimal"), Kind.MINIMAL),
                    new Variant("floor", yardsticks.get("floor"), Kind.FLOOR),
                    launcher.app());
            if (options.runs("startup")) {
                loadAverage("before the AOT training");
                new AotTraining(run).train(variants);
                loadAverage("before start-up");
                new StartupSection(run).measure(variants);
                loadAverage("after start-up");
            }
            if (options.runs("operations") || options.runs("throughput")) {
                OperationsSection operations = new OperationsSection(run);
                try (Launched service = launcher.launchApp("service", List.of());
                        Launched floorApp = launcher.launchVariant(variants.get(1), "floor", Aot.OFF, List.of())) {
                    service.awaitOk(http, appUrl("/api/orders?top=1"), Duration.ofSeconds(60));
                    floorApp.awaitOk(http, floorUrl("/api/orders?top=1"), Duration.ofSeconds(60));
                    // Throughput's validate runs on the orders the operations enabled.
                    OpsFixture fixture = operations.measure();
                    loadAverage("after per-operation");
                    if (options.runs("throughput")) {
                        new ThroughputSection(run).measure(service, fixture);
                        loadAverage("after throughput");
                    }
                }
                operations.httpClientErrors("service");
            }
            if (options.runs("tls")) {
                // Before the audit, which plans its sizes on the budget left.
                new TlsSection(run).measure();
            }
            if (options.runs("audit")) {
                loadAverage("before audit");
                new AuditSection(run).measure();
                loadAverage("after audit");
            }
        } finally {
            if (floor != null) {
                floor.close();
            }
            stack.close();
        }
        finish();
    }

    private void finish() throws IOException {
        double total = clock.secondsSoFar();
        report.notes.add("load average (1, 5, 15 min) on this 2-core machine, which other sessions share: "
                + String.join("; ", loads));
        report.add(
                "run",
                "total wall time of scripts/benchmark.sh (build included)",
                total,
                "s",
                (double) (options.budgetSeconds() + FINISH_SECONDS),
                "the budget and its end",
                null);
        ObjectNode header = Http.JSON.createObjectNode();
        String date = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        Instant.now().atOffset(ZoneOffset.UTC).withNano(0)) + "Z";
        String cpu = cpuModel();
        long memKib = memTotalKib();
        String machine = String.format(
                Locale.ROOT,
                "%d cores (nproc), %s, %.1f GiB RAM, Java %s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memKib / 1024.0 / 1024.0,
                System.getProperty("java.runtime.version"));
        header.put("date", date).put("machine", machine).put("totalSeconds", Math.round(total * 10) / 10.0);
        header.put("heading", "Run of " + date + " on " + machine + "; total " + Math.round(total) + " s.");
        report.write(out.resolve("results.json"), out.resolve("results.md"), header);
        System.out.println();
        System.out.println("Benchmark " + date + " — " + machine);
        System.out.println(report.text());
        System.out.printf(
                Locale.ROOT,
                "Total: %.0f s (budget %d s). Results: %s, %s%n",
                total,
                options.budgetSeconds() + FINISH_SECONDS,
                root.relativize(out.resolve("results.json")),
                root.relativize(out.resolve("results.md")));
    }

    private static String cpuModel() {
        try {
            Matcher m = Pattern.compile("(?m)^model name\\s*:\\s*(.*)$")
                    .matcher(Files.readString(Path.of("/proc/cpuinfo")));
            return m.find() ? m.group(1).trim() : "unknown CPU";
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static long memTotalKib() {
        try {
            Matcher m = Pattern.compile("(?m)^MemTotal:\\s*(\\d+)").matcher(Files.readString(Path.of("/proc/meminfo")));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The machine is shared: other work running meanwhile shows in the load average. */
    private void loadAverage(String when) {
        try {
            String load = Files.readString(Path.of("/proc/loadavg")).trim();
            loads.add(when + ": " + load.substring(0, load.lastIndexOf(' ', load.lastIndexOf(' ') - 1)));
        } catch (IOException e) {
            loads.add(when + ": unknown");
        }
    }
}
