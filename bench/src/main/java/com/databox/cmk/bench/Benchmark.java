package com.databox.cmk.bench;

import com.azure.data.tables.TableClient;
import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.KeyUrl;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentityId;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.storage.BenchOrderWriter;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The benchmark harness (README "Benchmark"; run it with scripts/benchmark.sh). Every figure
 * is set against a floor measured in the same run: start-up against a minimal Quarkus REST
 * app built here, operations against the same Key Vault and Table calls made directly with
 * the SDK, audit sizes against the smallest one. All load goes to 127.0.0.1.
 */
public final class Benchmark {
    static final int APP_PORT = 17071 + LocalServices.PORT_OFFSET;
    static final int MINIMAL_PORT = 17072 + LocalServices.PORT_OFFSET;
    static final int FLOOR_PORT = 17073 + LocalServices.PORT_OFFSET;

    private final Path root;
    private final Path out;
    private final long scriptStartMillis;
    private final long deadlineMillis;
    private final Options options;
    private final Report report = new Report();
    private final Http http = new Http();
    private LocalServices stack;
    private SdkFloor floor;
    private final List<String> loads = new ArrayList<>();
    /** The benchmark's caller, who may assign its own identities (issue 12), as a customer's administrator. */
    private final String callerOid = java.util.UUID.randomUUID().toString();

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
        static final Set<String> ALL_SECTIONS = Set.of("startup", "operations", "throughput", "audit");

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

        /** Which sections to run: startup (1), operations (2), audit (3), throughput (4). */
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
        this.scriptStartMillis = scriptStartMillis;
        this.options = options;
        this.deadlineMillis = scriptStartMillis + options.budgetSeconds() * 1000L;
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
            log("Building the yardsticks: a minimal Quarkus REST app and the floor app");
            yardsticks = YardstickApps.build(root, out.resolve("yardsticks"), out.resolve("logs"));
        }
        log("Starting Azurite and the Key Vault emulator");
        stack = LocalServices.start(root, out);
        try {
            String token = http.post(
                            stack.adminUrl() + "/admin/caller-tokens",
                            Http.json(Map.of(
                                    "oid",
                                    callerOid,
                                    "roles",
                                    List.of(
                                            "Orders.Read",
                                            "Orders.Write",
                                            "Encryption.Manage",
                                            "Credentials.Read",
                                            "Audit.Run"),
                                    "lifetimeSeconds",
                                    86400)))
                    .expect(200)
                    .json()
                    .path("access_token")
                    .asText();
            http.bearer(token);
            floor = new SdkFloor(
                    stack.settings.get("EMULATOR_CA_CERT"),
                    LocalServices.connectionString(),
                    "orders",
                    stack.settings.get("EMULATOR_TENANT_ID"));
            List<Variant> variants = List.of(
                    new Variant("minimal", yardsticks.get("minimal"), Kind.MINIMAL),
                    new Variant("floor", yardsticks.get("floor"), Kind.FLOOR),
                    new Variant("app", root.resolve("service/target/quarkus-app"), Kind.APP));
            if (options.runs("startup")) {
                loadAverage("before the AOT training");
                train(variants);
                loadAverage("before start-up");
                startup(variants);
                loadAverage("after start-up");
            }
            if (options.runs("operations") || options.runs("throughput")) {
                try (Launched service = launchApp("service", false, List.of());
                        Launched floorApp = launchVariant(variants.get(1), "floor", Aot.OFF, List.of())) {
                    service.awaitOk(http, appUrl("/api/orders?top=1"), Duration.ofSeconds(60));
                    floorApp.awaitOk(http, floorUrl("/api/orders?top=1"), Duration.ofSeconds(60));
                    // Throughput's validate runs on the orders the operations enabled.
                    OpsFixture fixture = operations();
                    loadAverage("after per-operation");
                    if (options.runs("throughput")) {
                        throughput(service, fixture);
                        loadAverage("after throughput");
                    }
                }
                httpClientErrors("service");
            }
            if (options.runs("audit")) {
                loadAverage("before audit");
                audit();
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

    // ---------------------------------------------------------------- 1. start-up

    enum Kind {
        MINIMAL,
        FLOOR,
        APP
    }

    /** OFF: plain; TRAIN: writes app.aot as it exits; ON: refuses to start without the cache. */
    enum Aot {
        OFF,
        TRAIN,
        ON
    }

    record Variant(String name, Path dir, Kind kind) {}

    /**
     * Each one's JDK AOT cache, trained on real requests: the process runs with
     * -XX:AOTCacheOutput, answers its workload and is stopped; the JVM writes app.aot as it exits.
     */
    private void train(List<Variant> variants) throws Exception {
        // The app first: the floor app reads the orders its training wrote.
        for (Variant v : variants.reversed()) {
            log("   training the AOT cache of " + v.name());
            Files.deleteIfExists(v.dir().resolve("app.aot"));
            long t0 = System.nanoTime();
            Launched process = launchVariant(v, v.name() + "-training", Aot.TRAIN, List.of());
            int failed;
            try {
                process.awaitOk(http, readyUrl(v), Duration.ofSeconds(120));
                failed = switch (v.kind()) {
                    case MINIMAL -> repeat(50, i -> minimalUrl("/hello"));
                    case FLOOR -> floorWorkload();
                    case APP -> appWorkload();
                };
            } finally {
                process.stopAndWait(Duration.ofMinutes(5));
            }
            if (!Files.exists(v.dir().resolve("app.aot"))) {
                throw new IllegalStateException(
                        "No AOT cache was written for " + v.name() + "; see logs/" + v.name() + "-training.log");
            }
            report.notes.add(String.format(
                    Locale.ROOT,
                    "AOT cache of %s trained on real requests in %.0f s (%d requests not answered 2xx), %.0f MiB",
                    v.name(),
                    (System.nanoTime() - t0) / 1e9,
                    failed,
                    Files.size(v.dir().resolve("app.aot")) / 1048576.0));
        }
    }

    private int repeat(int times, java.util.function.IntFunction<String> url) {
        int failed = 0;
        for (int i = 0; i < times; i++) {
            failed += ok(http.send("GET", url.apply(i), null));
        }
        return failed;
    }

    private static int ok(Http.Answer answer) {
        return answer.status() / 100 == 2 ? 0 : 1;
    }

    /** The floor app's two routes, on orders the app's training wrote (the same table). */
    private int floorWorkload() {
        int failed = 0;
        for (int i = 0; i < 25; i++) {
            failed += ok(http.send("GET", floorUrl("/api/orders?top=1"), null));
            failed += ok(http.send("GET", floorUrl("/api/orders/train-" + (i % 5)), null));
        }
        return failed;
    }

    /**
     * The benchmark's caller may attach the identity to its orders (Managed Identity Operator on it), as the
     * README's caller may attach the demo identity.
     */
    private void letCallerUse(String identity) {
        http.put(
                        stack.adminUrl() + "/admin/role-assignments/" + java.util.UUID.randomUUID(),
                        Http.json(Map.of(
                                "principalId", callerOid, "scope", identity, "role", "Managed Identity Operator")))
                .expect(200, 201);
    }

    /** The README's customer-managed-key flow on five orders, the listing, the document, an audit. */
    private int appWorkload() {
        String admin = stack.adminUrl() + "/admin";
        String identity = stack.settings.get("DEMO_IDENTITY_RESOURCE_ID");
        letCallerUse(identity);
        String newKid = newKey(admin + "/vaults/contoso/keys/databox-kek");
        String create = createBody(identity);
        String enable =
                enableBody(stack.settings.get("DEMO_KEY_URL"), stack.settings.get("DEMO_VAULT_RESOURCE_ID"), identity);
        int failed = 0;
        for (int i = 0; i < 5; i++) {
            String order = appUrl("/api/orders/train-" + i);
            failed += ok(http.send("GET", appUrl("/api/orders?top=1"), null));
            failed += ok(http.send("PUT", order, create));
            failed += ok(http.send("GET", order, null));
            failed += ok(http.send("POST", order + "/encryption/enable", enable));
            failed += ok(http.send("POST", order + "/encryption/validate", null));
            failed += ok(http.send("POST", order + "/encryption/change-key", "{\"kekUrl\":\"" + newKid + "\"}"));
            failed += ok(http.send("POST", order + "/listCredentials", null));
            failed += ok(http.send("POST", order + "/encryption/use-microsoft-key", null));
            failed += ok(http.send("GET", appUrl("/api/orders"), null));
        }
        failed += ok(http.send("GET", appUrl("/q/openapi"), null));
        Http.Answer started = http.send("POST", appUrl("/permission-audit"), "{}");
        failed += ok(started);
        if (started.status() == 200) {
            String runId = started.json().path("ReturnValue").asText();
            long until = System.currentTimeMillis() + 30_000;
            while (http.send("GET", appUrl("/api/audits/" + runId), null).status() != 200
                    && System.currentTimeMillis() < until) {
                Launched.sleep(200);
            }
        }
        return failed;
    }

    private String readyUrl(Variant v) {
        return switch (v.kind()) {
            case MINIMAL -> minimalUrl("/hello");
            case FLOOR -> floorUrl("/api/orders?top=1");
            case APP -> appUrl("/api/orders?top=1");
        };
    }

    private void startup(List<Variant> variants) {
        log("1. Start-up: " + options.startupRuns() + " runs each (after one discarded warm-up run), interleaved");
        record Run(Variant v, Aot aot) {
            String key() {
                return v.name() + (aot == Aot.ON ? "-aot" : "-plain");
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Aot aot : List.of(Aot.OFF, Aot.ON)) {
            variants.forEach(v -> runs.add(new Run(v, aot)));
        }
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> rss = new LinkedHashMap<>();
        Map<String, List<Double>> startedIn = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> threadCpu = new LinkedHashMap<>();
        for (int run = 0; run <= options.startupRuns(); run++) {
            for (Run r : runs) {
                String name = r.key() + "-" + run;
                Launched process = launchVariant(r.v(), name, r.aot(), List.of());
                try {
                    long nanos = process.awaitOk(http, readyUrl(r.v()), Duration.ofSeconds(60));
                    double cpuMs = process.cpuMillis();
                    Map<String, Double> threads = process.threadCpuMillis();
                    if (run > 0) {
                        millis.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(nanos / 1e6);
                        cpu.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(cpuMs);
                        threads.forEach((kind, ms) -> threadCpu
                                .computeIfAbsent(r.key(), k -> new TreeMap<>())
                                .computeIfAbsent(kind, k -> new ArrayList<>())
                                .add(ms));
                        rss.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(process.peakRssKib() / 1024.0);
                    }
                } finally {
                    process.close();
                }
                if (run > 0) {
                    Double quarkus = quarkusStartedIn(out.resolve("logs/" + name + ".log"));
                    if (quarkus != null) {
                        startedIn
                                .computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(quarkus);
                    }
                }
            }
        }
        String s = "1 start-up";
        String n = "median of " + options.startupRuns();
        Map<String, Double> ms = new LinkedHashMap<>();
        millis.forEach((k, v) -> ms.put(k, median(v)));
        Map<String, String> what = Map.of(
                "minimal", "minimal Quarkus REST app (GET /hello)",
                "floor", "floor app: Quarkus REST + smallrye-jwt + one Azure Tables read (GET /api/orders?top=1)",
                "app", "app (GET /api/orders?top=1)");
        for (String v : List.of("minimal", "floor", "app")) {
            for (String mode : List.of("plain", "aot")) {
                String key = v + "-" + mode;
                Double base = v.equals("minimal") ? null : ms.get("minimal-" + mode);
                report.add(
                        s,
                        what.get(v) + ", " + (mode.equals("aot") ? "trained AOT cache" : "plain jar")
                                + ": to first 200",
                        ms.get(key),
                        "ms",
                        base,
                        base == null ? null : "minimal " + mode,
                        n + " " + spread(millis.get(key)));
            }
        }
        report.add(
                s,
                "app vs floor app, plain: to first 200",
                ms.get("app-plain"),
                "ms",
                ms.get("floor-plain"),
                "floor plain",
                null);
        report.add(
                s,
                "app vs floor app, each with its trained AOT cache",
                ms.get("app-aot"),
                "ms",
                ms.get("floor-aot"),
                "floor AOT",
                null);
        report.add(
                s,
                "app with its trained AOT cache vs plain",
                ms.get("app-aot"),
                "ms",
                ms.get("app-plain"),
                "app plain",
                null);
        for (String key : cpu.keySet()) {
            report.add(
                    s,
                    key + ": process CPU time to first 200",
                    median(cpu.get(key)),
                    "ms",
                    key.startsWith("app") ? median(cpu.get(key.replace("app", "floor"))) : null,
                    key.startsWith("app") ? key.replace("app", "floor") : null,
                    "utime + stime, " + n + "; steadier than wall time on a shared machine");
        }
        // Where the CPU up to the first 200 went, by thread (the threads alive then; a thread that had
        // ended is not counted, which the total above is).
        for (String key : threadCpu.keySet()) {
            String floorKey = key.replace("app", "floor");
            report.add(
                    s,
                    key + ": CPU time to first 200 by thread",
                    threadCpu.get(key).values().stream()
                            .mapToDouble(Benchmark::median)
                            .sum(),
                    "ms",
                    key.startsWith("app") && threadCpu.containsKey(floorKey)
                            ? threadCpu.get(floorKey).values().stream()
                                    .mapToDouble(Benchmark::median)
                                    .sum()
                            : null,
                    key.startsWith("app") ? floorKey : null,
                    "medians of " + options.startupRuns() + ": " + ProcessCpu.medians(threadCpu.get(key))
                            + (key.startsWith("app") && threadCpu.containsKey(floorKey)
                                    ? "; " + floorKey + ": " + ProcessCpu.medians(threadCpu.get(floorKey))
                                    : ""));
        }
        for (String key : startedIn.keySet()) {
            report.add(
                    s,
                    key + ": Quarkus' own \"started in\"",
                    median(startedIn.get(key)),
                    "ms",
                    null,
                    null,
                    "from its log; the rest of the time to first 200 is JVM start and the first request");
        }
        Map<String, Double> coverage = new LinkedHashMap<>();
        for (Variant v : variants) {
            coverage.put(v.name(), aotCoverage(v));
        }
        for (String key : rss.keySet()) {
            report.add(
                    s,
                    "peak RSS at first 200: " + key,
                    median(rss.get(key)),
                    "MiB",
                    key.startsWith("minimal") ? null : median(rss.get(key.replaceFirst("^[a-z]+", "minimal"))),
                    key.startsWith("minimal") ? null : key.replaceFirst("^[a-z]+", "minimal"),
                    "VmHWM, " + n);
        }
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
        ObjectNode raw = report.extra.putObject("startupRuns");
        millis.forEach((k, v) -> raw.putPOJO(k + ".ms", v));
        cpu.forEach((k, v) -> raw.putPOJO(k + ".cpuMs", v));
        rss.forEach((k, v) -> raw.putPOJO(k + ".rssMiB", v));
        threadCpu.forEach((k, v) -> raw.putPOJO(k + ".threadCpuMs", v));
    }

    private static final String CLASS_LOG = "-Xlog:class+load=info:file=classes.log";

    /** The share of the classes loaded up to the first 200 that came from the AOT cache (one untimed run). */
    private Double aotCoverage(Variant v) {
        String name = v.name() + "-aot-classes";
        Launched process = launchVariant(v, name, Aot.ON, List.of(CLASS_LOG));
        try {
            process.awaitOk(http, readyUrl(v), Duration.ofSeconds(60));
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
                    out.resolve("logs/" + name + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            report.add(
                    "1 start-up",
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

    // ---------------------------------------------------------------- 2. per-operation overhead

    record OpsFixture(List<String> appOrders, List<String> floorOrders, String identity, SdkFloor floor) {}

    private OpsFixture operations() throws Exception {
        int total = options.opWarmup() + options.opSamples();
        log("2. Per-operation overhead: " + options.opSamples() + " samples each (after " + options.opWarmup()
                + " warm-up), app over HTTP vs the SDK floor");
        String admin = stack.adminUrl() + "/admin";
        JsonNode vault = http.put(
                        admin + "/vaults/bench",
                        "{\"softDelete\":true,\"purgeProtection\":true," + "\"retentionDays\":90,\"firewall\":false}")
                .expect(200, 201)
                .json();
        String vaultId = vault.path("resourceId").asText();
        String keyA = newKey(admin + "/vaults/bench/keys/kek-a");
        String keyB = newKey(admin + "/vaults/bench/keys/kek-b");
        JsonNode uai =
                http.put(admin + "/identities/uai-bench", "{}").expect(200, 201).json();
        String identity = uai.path("resourceId").asText();
        letCallerUse(identity);
        http.put(
                        admin + "/vaults/bench/access-policies/"
                                + uai.path("principalId").asText(),
                        "{\"keys\":[\"get\",\"wrapKey\",\"unwrapKey\"]}")
                .expect(200, 201, 204);

        List<String> appOrders = new ArrayList<>();
        List<String> floorOrders = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            appOrders.add("bench-a-" + i);
            floorOrders.add("bench-f-" + i);
        }
        String create = createBody(identity);
        List<String> all = new ArrayList<>(appOrders);
        all.addAll(floorOrders);
        parallel(
                4,
                all.size(),
                i -> http.put(appUrl("/api/orders/" + all.get(i)), create).expect(200, 201));

        String enableBody = enableBody(keyA, vaultId, identity);
        String changeBody = "{\"kekUrl\":\"" + keyB + "\",\"kekVaultResourceID\":\"" + vaultId + "\"}";
        compare(
                "enable (fresh order, Microsoft key -> customer key)",
                total,
                i -> http.post(appUrl("/api/orders/" + appOrders.get(i) + "/encryption/enable"), enableBody)
                        .expect(200),
                i -> floor.enable(floorOrders.get(i), keyA, vaultId, identity),
                "unwrap (MMK), get, wrap, unwrap; table read + conditional transaction");
        compare(
                "change-key (to another key)",
                total,
                i -> http.post(appUrl("/api/orders/" + appOrders.get(i) + "/encryption/change-key"), changeBody)
                        .expect(200),
                i -> floor.changeKey(floorOrders.get(i), keyB, identity),
                "unwrap (old key), get, wrap, unwrap; table read + conditional transaction");
        compare(
                "validate",
                total,
                i -> http.post(appUrl("/api/orders/" + appOrders.get(i) + "/encryption/validate"), null)
                        .expect(200),
                i -> floor.validate(floorOrders.get(i), identity),
                "table read; get, wrap, unwrap; conditional transaction (health)");
        return new OpsFixture(appOrders, floorOrders, identity, floor);
    }

    /**
     * Issue 16, item 5: how often the app's Vert.x HTTP client logged a request written to a
     * connection the server was closing (NoSuchElementException in Http1xClientConnection).
     */
    private void httpClientErrors(String app) throws IOException {
        Path log = out.resolve("logs/" + app + ".log");
        if (!Files.exists(log)) {
            return;
        }
        long count;
        try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            count = lines.filter(line -> line.contains("java.util.NoSuchElementException"))
                    .count();
        }
        report.notes.add(app + ": Vert.x's HTTP client logged " + count
                + " NoSuchElementException(s) (Http1xClientConnection.endRequest) during sections 2 and 4");
    }

    /** A new key (or key version) in the emulator's vault; answers its kid. */
    private String newKey(String keyUrl) {
        return http.post(keyUrl, "{\"kty\":\"RSA\",\"size\":3072}")
                .expect(200, 201)
                .json()
                .path("kid")
                .asText();
    }

    private static String createBody(String identity) {
        return "{\"location\":\"westus\",\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\""
                + identity + "\":{}}}}";
    }

    private static String enableBody(String kekUrl, String vaultId, String identity) {
        return "{\"kekUrl\":\"" + kekUrl + "\",\"kekVaultResourceID\":\"" + vaultId
                + "\",\"identityProperties\":{\"type\":\"UserAssigned\",\"userAssigned\":{\"resourceId\":\"" + identity
                + "\"}}}";
    }

    private void compare(String op, int total, IntConsumer app, IntConsumer floor, String floorCalls) {
        List<Double> appMs = new ArrayList<>();
        List<Double> floorMs = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            // Alternate which goes first, so that neither always runs on the other's warm caches.
            boolean appFirst = i % 2 == 0;
            double a = 0;
            double f = 0;
            if (appFirst) {
                a = time(app, i);
                f = time(floor, i);
            } else {
                f = time(floor, i);
                a = time(app, i);
            }
            if (i >= options.opWarmup()) {
                appMs.add(a);
                floorMs.add(f);
            }
        }
        String s = "2 per-operation";
        double a50 = percentile(appMs, 50);
        double f50 = percentile(floorMs, 50);
        report.add(s, op + ": p50", a50, "ms", f50, "SDK floor", "floor: " + floorCalls + "; n=" + appMs.size());
        double a99 = percentile(appMs, 99);
        double f99 = percentile(floorMs, 99);
        report.add(
                s,
                op + ": p99",
                a99,
                "ms",
                f99,
                "SDK floor",
                "slowest: app " + slowest(appMs) + "; floor " + slowest(floorMs));
        String name = op.replaceAll(" \\(.*", "");
        report.target(
                name + ": p50 within 1.10x its SDK floor",
                a50 / f50 <= 1.10,
                String.format(Locale.ROOT, "app %.1f ms / floor %.1f ms = %.2fx", a50, f50, a50 / f50));
        report.target(
                name + ": p99 within 1.3x its SDK floor",
                a99 / f99 <= 1.3,
                String.format(Locale.ROOT, "app %.1f ms / floor %.1f ms = %.2fx", a99, f99, a99 / f99));
    }

    /** The three slowest samples, slowest first: whether a p99 is one outlier or a tail. */
    private static String slowest(List<Double> samples) {
        return joined(
                        samples.stream()
                                .sorted(java.util.Comparator.reverseOrder())
                                .limit(3)
                                .toList(),
                        "%.0f")
                + " ms";
    }

    private static double time(IntConsumer op, int i) {
        long t0 = System.nanoTime();
        op.accept(i);
        return (System.nanoTime() - t0) / 1e6;
    }

    // ---------------------------------------------------------------- 4. throughput

    /** Rounds of the get-order loads, app and floor app in turn; their medians are compared. */
    static final int THROUGHPUT_ROUNDS = 3;

    private void throughput(Launched service, OpsFixture fx) throws Exception {
        log("4. Throughput: 1, 8, 32 concurrent clients, " + options.throughputSeconds()
                + " s each (get-order: app and floor app in turn, " + THROUGHPUT_ROUNDS
                + " rounds); then one pass under JFR, for the profile");
        // The same warm-up for both get-order paths: the app's JIT has seen the operations above,
        // the floor app's nothing yet.
        int warm = options.opWarmup() + options.opSamples();
        for (int i = 0; i < 2 * warm; i++) {
            String order = fx.appOrders().get(i % fx.appOrders().size());
            http.get(appUrl("/api/orders/" + order)).expect(200);
            http.get(floorUrl("/api/orders/" + order)).expect(200);
        }
        IntConsumer appGet =
                i -> http.get(appUrl("/api/orders/" + fx.appOrders().get(i))).expect(200);
        // The same orders through the floor app: the same HTTP hop, token check and table read.
        IntConsumer floorGet =
                i -> http.get(floorUrl("/api/orders/" + fx.appOrders().get(i))).expect(200);
        IntConsumer appValidate =
                i -> http.post(appUrl("/api/orders/" + fx.appOrders().get(i) + "/encryption/validate"), null)
                        .expect(200);
        String s = "4 throughput";
        List<String> evidence = new ArrayList<>();
        boolean met = true;
        for (int clients : List.of(1, 8, 32)) {
            // Neither side under the profiler (the floor app never is), and both measured in turn, each
            // round in the other order: a 3-second load on a shared machine swings by a tenth.
            List<Double> app = new ArrayList<>();
            List<Double> hop = new ArrayList<>();
            for (int r = 0; r < THROUGHPUT_ROUNDS; r++) {
                if (r % 2 == 0) {
                    app.add(load(clients, fx.appOrders().size(), appGet));
                    hop.add(load(clients, fx.appOrders().size(), floorGet));
                } else {
                    hop.add(load(clients, fx.appOrders().size(), floorGet));
                    app.add(load(clients, fx.appOrders().size(), appGet));
                }
            }
            double sdk = load(
                    clients,
                    fx.floorOrders().size(),
                    i -> fx.floor().getOrder(fx.floorOrders().get(i)));
            double appMedian = median(app);
            double hopMedian = median(hop);
            report.add(
                    s,
                    "get-order, " + clients + " client(s), median of " + THROUGHPUT_ROUNDS,
                    appMedian,
                    "ops/s",
                    hopMedian,
                    "floor app over HTTP",
                    "app " + joined(app, "%.0f") + "; floor app " + joined(hop, "%.0f") + " ops/s"
                            + (clients == 1 ? "; GET /api/orders/{name} of each" : ""));
            report.add(
                    s,
                    "get-order floor app, " + clients + " client(s)",
                    hopMedian,
                    "ops/s",
                    sdk,
                    "SDK table read, no HTTP hop",
                    clients == 1 ? "what the HTTP hop and token check cost by themselves" : null);
            met &= appMedian >= 0.9 * hopMedian;
            evidence.add(String.format(
                    Locale.ROOT, "%d: %.0f / %.0f = %.2fx", clients, appMedian, hopMedian, appMedian / hopMedian));
        }
        report.target(
                "get-order throughput at least 0.9x the floor app (same HTTP hop) at 1, 8 and 32 clients",
                met,
                String.join("; ", evidence));
        for (int clients : List.of(1, 8, 32)) {
            double app = load(clients, fx.appOrders().size(), appValidate);
            double floor = load(
                    clients,
                    fx.floorOrders().size(),
                    i -> fx.floor().validate(fx.floorOrders().get(i), fx.identity()));
            report.add(
                    s,
                    "validate, " + clients + " client(s)",
                    app,
                    "ops/s",
                    floor,
                    "SDK floor",
                    clients == 1 ? "ratio < 1: the app is slower" : null);
        }
        // One more pass, under JFR, for the profile only: its figures are not compared.
        Path recording = out.resolve("app-throughput.jfr");
        Files.deleteIfExists(recording);
        String jcmd = jcmd();
        JfrSummary.run(List.of(jcmd, Long.toString(service.pid()), "JFR.start", "name=bench", "settings=profile"));
        load(32, fx.appOrders().size(), appGet);
        load(8, fx.appOrders().size(), appValidate);
        JfrSummary.run(List.of(jcmd, Long.toString(service.pid()), "JFR.stop", "name=bench", "filename=" + recording));
        profile(
                "throughput",
                "Profile of the app during one more pass of get-order (32 clients) and validate (8 clients)",
                recording);
    }

    private void profile(String key, String title, Path recording) throws IOException {
        JfrSummary profile = JfrSummary.of(recording, 10);
        ObjectNode p = report.extra.with("profiles").putObject(key);
        p.put("recording", out.relativize(recording).toString())
                .put("sampleEvent", profile.event)
                .put("samples", profile.samples);
        putShares(p.putArray("topMethods"), profile.topMethods);
        putShares(p.putArray("topPackages"), profile.topPackages);
        putShares(p.putArray("topServiceFrames"), profile.topAppFrames);
        StringBuilder text =
                new StringBuilder(title + " (JFR, " + profile.samples + " " + profile.event + " events)\n");
        appendShares(text, "top methods (top frame)", profile.topMethods);
        appendShares(text, "top packages (top frame)", profile.topPackages);
        appendShares(text, "first com.databox frame on the stack", profile.topAppFrames);
        Files.writeString(out.resolve("profile-" + key + ".txt"), text + "\n" + JfrSummary.summary(recording));
        System.out.println(text);
        p.put("text", text.toString());
    }

    private static String jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    private static void putShares(ArrayNode array, List<JfrSummary.Share> shares) {
        shares.forEach(sh -> array.addObject()
                .put("name", sh.name())
                .put("samples", sh.samples())
                .put("percent", Math.round(sh.percent() * 10) / 10.0));
    }

    private static void appendShares(StringBuilder text, String title, List<JfrSummary.Share> shares) {
        text.append("  ").append(title).append(":\n");
        shares.forEach(sh -> text.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", sh.percent(), sh.name())));
    }

    /** Closed-loop load: {@code clients} threads, each on its own orders (i % clients), for the set time. */
    private double load(int clients, int orders, IntConsumer op) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long end = warmEnd + TimeUnit.SECONDS.toNanos(options.throughputSeconds());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    int k = 0;
                    while (true) {
                        int index = thread + clients * k++;
                        if (index >= orders) {
                            k = 0;
                            index = thread;
                        }
                        if (index >= orders) {
                            return;
                        }
                        long now = System.nanoTime();
                        if (now >= end) {
                            return;
                        }
                        try {
                            op.accept(index);
                            if (System.nanoTime() > warmEnd && System.nanoTime() <= end) {
                                done.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        if (errors.get() > 0) {
            report.notes.add(
                    "throughput with " + clients + " clients: " + errors.get() + " failed calls (not counted)");
        }
        return done.get() / (double) options.throughputSeconds();
    }

    // ---------------------------------------------------------------- 3. audit scaling

    private void audit() throws Exception {
        int maxKeys =
                options.auditKeys().stream().mapToInt(Integer::intValue).max().orElse(100);
        log("3. Audit scaling: creating " + maxKeys + " keys");
        String admin = stack.adminUrl() + "/admin";
        String vaultId = http.put(
                        admin + "/vaults/bench-audit",
                        "{\"softDelete\":true,\"purgeProtection\":true," + "\"retentionDays\":90,\"firewall\":false}")
                .expect(200, 201)
                .json()
                .path("resourceId")
                .asText();
        String[] keys = new String[maxKeys];
        parallel(
                2,
                maxKeys,
                i -> keys[i] = http.post(admin + "/vaults/bench-audit/keys/k" + i, "{\"kty\":\"RSA\",\"size\":2048}")
                        .expect(200, 201)
                        .json()
                        .path("kid")
                        .asText());
        JsonNode uai =
                http.put(admin + "/identities/uai-audit", "{}").expect(200, 201).json();
        http.put(
                        admin + "/vaults/bench-audit/access-policies/"
                                + uai.path("principalId").asText(),
                        "{\"keys\":[\"get\",\"wrapKey\",\"unwrapKey\"]}")
                .expect(200, 201, 204);
        UserAssignedIdentity identity = new UserAssignedIdentity(
                uai.path("resourceId").asText(),
                uai.path("principalId").asText(),
                uai.path("clientId").asText(),
                uai.path("tenantId").asText());

        AuditCost cost = new AuditCost();
        Map<Integer, Double> firstRss = new LinkedHashMap<>();
        Map<Integer, Double> firstRate = new LinkedHashMap<>();
        List<String> callEvidence = new ArrayList<>();
        List<String> rssEvidence = new ArrayList<>();
        boolean proportional = true;
        boolean flat = true;
        boolean fastEnough = true;
        List<String> rateEvidence = new ArrayList<>();
        List<String> unfinished = new ArrayList<>();
        Path auditRecording = null;
        List<Integer> measuredSizes = new ArrayList<>();
        String auditLabel = null;
        List<Integer> sizes = options.auditSizes().stream().sorted().toList();
        String s = "3 audit";
        // Every size at the first key count before any other key count: the issue's targets (100k measured,
        // its peak RSS against 1k's) are in reach of the default budget, and the other counts come as it allows.
        for (int k : options.auditKeys()) {
            for (int size : sizes) {
                double remaining = (deadlineMillis - System.currentTimeMillis()) / 1000.0 - 25;
                boolean repeated = size <= MEASURED_REPEATEDLY_UP_TO;
                // The SDK floor where the pairs' proofs weigh most: the smallest size of each key count.
                boolean withFloor = repeated && size == sizes.getFirst();
                // Larger sizes are profiled only when no smaller size was: the profile printed is the last one.
                boolean profiledToo = repeated || auditRecording == null;
                // Each size is audited at least twice: first run after start, then on the warm instance
                // (measured once, or WARM_UPS + WARM_REPEATS times with a raw read before each), then profiled.
                int audits =
                        1 + (repeated ? WARM_UPS + WARM_REPEATS : 1) + (profiledToo ? options.profileRepeats() : 0);
                int reads = 1 + (repeated ? (WARM_UPS + WARM_REPEATS) * (withFloor ? 2 : 1) : 0);
                int n = size;
                double estimate = cost.seconds(n, audits, reads);
                if (estimate > remaining) {
                    int fits = cost.fitting(audits, reads, remaining) / 1000 * 1000;
                    int previous = sizes.indexOf(size) > 0 ? sizes.get(sizes.indexOf(size) - 1) : 0;
                    if (fits < previous * 2 || k != options.auditKeys().getFirst()) {
                        report.notes.add(String.format(
                                Locale.ROOT,
                                "audit of %,d orders over %d keys left out: it would take ~%.0f s on this machine"
                                        + " (%s), more than the %.0f s left of the %d s budget",
                                size,
                                k,
                                estimate,
                                cost.describe(audits, reads),
                                remaining,
                                options.budgetSeconds()));
                        continue;
                    }
                    report.notes.add(String.format(
                            Locale.ROOT,
                            "audit of %,d orders did not fit the %d s budget "
                                    + "(estimated %.0f s: %s); measured %,d orders instead",
                            size,
                            options.budgetSeconds(),
                            estimate,
                            cost.describe(audits, reads),
                            fits));
                    n = fits;
                }
                String label = String.format(Locale.ROOT, "%,d orders / %d keys", n, k);
                log("   audit " + label);
                String table = "audit" + n + "x" + k;
                TableClient client = stackTable(table);
                BenchOrderWriter writer = new BenchOrderWriter(client);
                Instant now = Instant.now();
                String prefix = "a" + k + "-";
                long w0 = System.nanoTime();
                int batch = BenchOrderWriter.ORDERS_PER_TRANSACTION;
                int total = n;
                parallel(
                        8,
                        (n + batch - 1) / batch,
                        b -> writer.create(
                                IntStream.range(b * batch, Math.min(total, (b + 1) * batch))
                                        .mapToObj(i -> cmkOrder(prefix + i, keys[i % k], vaultId, identity, now))
                                        .toList(),
                                new HistoryEntry(now, "create", "benchmark", "bulk order")));
                double writeSeconds = (System.nanoTime() - w0) / 1e9;
                cost.wrote(n, writeSeconds);
                // A read or an audit of a second or two is noisy (the raw read of 1,000 orders took 0.15 to
                // 0.58 s in one session's runs): both sides are measured WARM_REPEATS times there, each
                // raw read just before an audit, so that both meet the machine's load of the moment, and
                // their medians compared. The table's first read, slower than the later ones (as the
                // audit's first run is), is made before the app starts and left out then. Larger sizes
                // run long enough to average themselves, and are read once, before the app starts.
                int repeats = n <= MEASURED_REPEATEDLY_UP_TO ? WARM_REPEATS : 1;
                List<Double> rawRates = new ArrayList<>();
                Map<String, List<Double>> rawCpu = new LinkedHashMap<>();
                // The stack and the harness; the app's is added once it runs.
                Map<String, Long> stackPids = new LinkedHashMap<>(stack.pids());
                stackPids.put("harness", ProcessHandle.current().pid());
                Map<String, Double> beforeFirstRead = ProcessCpu.snapshot(stackPids);
                double firstRead = pagedRead(client, n);
                cost.read(firstRead);
                if (repeats == 1) {
                    rawRates.add(firstRead);
                    // The one read measured: its CPU is compared with the audit's too (no app runs yet).
                    ProcessCpu.addSince(beforeFirstRead, ProcessCpu.snapshot(stackPids), rawCpu);
                }

                try (Launched app =
                        launchApp("audit-" + n + "-" + k, false, List.of("-Dcmk.storage.orders-table=" + table))) {
                    app.awaitOk(http, appUrl("/api/orders?top=1"), Duration.ofSeconds(60));
                    http.delete(admin + "/requests?vault=bench-audit").expect(200, 204);
                    // The first run after start, as the daily timer meets a new instance: no profiler, so
                    // that its peak RSS is the app's alone (a JFR recording's buffers grow with its length).
                    AuditRun cold = auditRun(deadlineMillis);
                    double rssMiB = app.peakRssKib() / 1024.0;
                    if (cold.report() == null) {
                        unfinished.add(String.format(
                                Locale.ROOT,
                                "%s: not finished after %.0f s, when the %d s budget ran out (peak RSS %.0f MiB by then)",
                                label,
                                cold.seconds(),
                                options.budgetSeconds(),
                                rssMiB));
                        report.notes.add("audit of " + unfinished.getLast());
                        continue;
                    }
                    JsonNode done = cold.report();
                    cost.audited(n, cold.seconds());
                    JsonNode calls = http.get(admin + "/requests?vault=bench-audit")
                            .expect(200)
                            .json();
                    long kvCalls = calls.path("total").asLong();
                    // The same orders again on the now warm instance: the steady rate, which is what a raw
                    // read by the (equally warm) harness is compared with. Not under the profiler, whose
                    // start and sampling would weigh on a run of a second as they do not on the raw read.
                    List<Double> warmSeconds = new ArrayList<>();
                    AuditRun warm = null;
                    Map<String, Long> pids = new LinkedHashMap<>();
                    pids.put("app", app.pid());
                    pids.putAll(stackPids);
                    Map<String, List<Double>> auditCpu = new LinkedHashMap<>();
                    Map<String, List<Double>> floorCpu = new LinkedHashMap<>();
                    List<Double> floorRates = new ArrayList<>();
                    List<String> pairs = Arrays.asList(keys).subList(0, k);
                    List<Double> settleMillis = new ArrayList<>();
                    if (repeats > 1) {
                        // Neither side is measured while its JIT still warms to it (below).
                        for (int r = 0; r < WARM_UPS && (warm == null || warm.report() != null); r++) {
                            ProcessCpu.settle(pids);
                            pagedRead(client, n);
                            if (withFloor) {
                                ProcessCpu.settle(pids);
                                auditFloor(client, n, pairs, identity.resourceId());
                            }
                            ProcessCpu.settle(pids);
                            warm = auditRun(deadlineMillis);
                        }
                    }
                    for (int r = 0; r < repeats && (warm == null || warm.report() != null); r++) {
                        if (repeats > 1) {
                            settleMillis.add(ProcessCpu.settle(pids));
                            Map<String, Double> before = ProcessCpu.snapshot(pids);
                            rawRates.add(pagedRead(client, n));
                            ProcessCpu.addSince(before, ProcessCpu.snapshot(pids), rawCpu);
                            if (withFloor) {
                                settleMillis.add(ProcessCpu.settle(pids));
                                before = ProcessCpu.snapshot(pids);
                                floorRates.add(auditFloor(client, n, pairs, identity.resourceId()));
                                ProcessCpu.addSince(before, ProcessCpu.snapshot(pids), floorCpu);
                            }
                        }
                        settleMillis.add(ProcessCpu.settle(pids));
                        Map<String, Double> before = ProcessCpu.snapshot(pids);
                        warm = auditRun(deadlineMillis);
                        ProcessCpu.addSince(before, ProcessCpu.snapshot(pids), auditCpu);
                        warmSeconds.add(warm.seconds());
                    }
                    // None measured when a warm-up audit did not finish in the budget (reported below).
                    double rawRate = rawRates.isEmpty() ? firstRead : median(rawRates);
                    // One more run, profiled, for the profile only.
                    AuditRun profiled = null;
                    if (profiledToo) {
                        Path recording = out.resolve("app-audit-" + n + "-" + k + ".jfr");
                        JfrSummary.run(List.of(
                                jcmd(),
                                Long.toString(app.pid()),
                                "JFR.start",
                                "name=audit",
                                "settings=profile",
                                // Every socket read and write, however short: the run's calls on a timeline
                                // (`jfr print --events jdk.SocketRead,jdk.SocketWrite`), by port.
                                "jdk.SocketRead#threshold=0ms",
                                "jdk.SocketWrite#threshold=0ms",
                                // CPU time, not wall-clock samples: a run of a fraction of a second got a
                                // few dozen execution samples (JDK 25, Linux).
                                "jdk.CPUTimeSample#enabled=true",
                                "jdk.CPUTimeSample#throttle=1ms"));
                        profiled = warm.report() == null ? warm : auditRun(deadlineMillis);
                        // --profile-repeats: more runs in the same recording, for more samples of a short run.
                        for (int r = 1; r < options.profileRepeats() && profiled.report() != null; r++) {
                            ProcessCpu.settle(pids);
                            profiled = auditRun(deadlineMillis);
                        }
                        JfrSummary.run(List.of(
                                jcmd(), Long.toString(app.pid()), "JFR.stop", "name=audit", "filename=" + recording));
                        auditRecording = recording;
                        auditLabel =
                                label + (profiled.report() == null ? ", profiled run (unfinished)" : ", profiled run");
                    }
                    measuredSizes.add(n);
                    int checked = done.path("ordersChecked").asInt();
                    double rate = n / cold.seconds();
                    firstRate.putIfAbsent(k, rate);
                    firstRss.putIfAbsent(k, rssMiB);
                    int minSize = sizes.getFirst();
                    String base = String.format(Locale.ROOT, "%,d orders / %d keys", minSize, k);
                    report.add(
                            s,
                            label + ": orders audited per second, first run after start",
                            rate,
                            "orders/s",
                            firstRate.get(k),
                            base,
                            String.format(
                                    Locale.ROOT,
                                    "%.1f s (%.1f s to the poll that found it done); %d checked, %d healthy; "
                                            + "orders written in %.1f s",
                                    cold.seconds(),
                                    cold.wallSeconds(),
                                    checked,
                                    done.path("healthy").asInt(),
                                    writeSeconds));
                    report.add(
                            s,
                            label + ": Key Vault calls",
                            kvCalls,
                            "calls",
                            3.0 * k,
                            "3 per (key, identity) pair",
                            calls.path("byOperation").toString());
                    report.add(s, label + ": peak RSS of the app", rssMiB, "MiB", firstRss.get(k), base, "VmHWM");
                    report.add(
                            s,
                            label + ": first run after start vs a raw paged read of the same orders",
                            rate,
                            "orders/s",
                            rawRate,
                            "SDK paged table read",
                            "the read alone, no Key Vault and no writes: the most any audit could do");
                    callEvidence.add(String.format(
                            Locale.ROOT, "%s: %d calls (%.1f per pair)", label, kvCalls, kvCalls / (double) k));
                    rssEvidence.add(String.format(Locale.ROOT, "%s: %.0f MiB", label, rssMiB));
                    proportional &= kvCalls <= 4L * k && checked == n;
                    flat &= rssMiB <= firstRss.get(k) * 1.1;
                    if (warm.report() == null) {
                        report.notes.add("the second audit of " + label + " did not finish within the budget");
                        fastEnough = false;
                        continue;
                    }
                    double warmRate = n / median(warmSeconds);
                    report.add(
                            s,
                            label + (repeats == 1 ? ": warm instance" : ": warm instance, median of " + repeats)
                                    + " vs a raw paged read of the same orders",
                            warmRate,
                            "orders/s",
                            rawRate,
                            "SDK paged table read",
                            (repeats == 1
                                            ? String.format(Locale.ROOT, "%.1f s", warm.seconds())
                                            : "median of " + joined(warmSeconds, "%.2f s") + "; raw reads "
                                                    + joined(rawRates, "%.0f")
                                                    + " orders/s, each just before an audit; each started once"
                                                    + " the stack was quiet, after " + ProcessCpu.settled(settleMillis))
                                    + (profiled == null
                                            ? ""
                                            : String.format(
                                                    Locale.ROOT,
                                                    "; a run under JFR, for the profile: %.1f s",
                                                    profiled.seconds())));
                    if (!rawCpu.isEmpty()) {
                        // On two shared cores, an audit's wall time follows the CPU all its processes spend.
                        report.add(
                                s,
                                label + ": CPU of every process, warm audit vs raw read"
                                        + (repeats == 1 ? "" : " (medians of " + repeats + ")"),
                                ProcessCpu.medianTotal(auditCpu),
                                "ms",
                                ProcessCpu.medianTotal(rawCpu),
                                "raw paged read",
                                "audit: " + ProcessCpu.medians(auditCpu) + "; raw read: " + ProcessCpu.medians(rawCpu)
                                        + " (the harness: the raw read's parsing, the audit's report polls)");
                    }
                    String floorEvidence = "";
                    if (!floorRates.isEmpty()) {
                        double floorRate = median(floorRates);
                        report.add(
                                s,
                                label + ": SDK floor of the audit vs a raw paged read of the same orders",
                                floorRate,
                                "orders/s",
                                rawRate,
                                "SDK paged table read",
                                "the paged read with each pair's 3 Key Vault calls at the same time ("
                                        + Math.min(k, FLOOR_PROOFS_AT_ONCE)
                                        + " at once), by the SDKs from the harness, nothing written: the most"
                                        + " an audit could do on this machine; median of "
                                        + joined(floorRates, "%.0f") + " orders/s; CPU (medians): "
                                        + ProcessCpu.medians(floorCpu));
                        report.add(
                                s,
                                label + ": warm instance vs the SDK floor of the audit",
                                warmRate,
                                "orders/s",
                                floorRate,
                                "SDK floor of the audit",
                                "medians of " + repeats + " each");
                        floorEvidence = String.format(
                                Locale.ROOT,
                                "; its SDK floor %.2fx%s",
                                floorRate / rawRate,
                                floorRate < 0.5 * rawRate ? ", so 0.5x is out of reach on this machine" : "");
                    }
                    rateEvidence.add(String.format(
                            Locale.ROOT,
                            "%s: %.0f / %.0f = %.2fx (first run after start %.2fx%s)",
                            label,
                            warmRate,
                            rawRate,
                            warmRate / rawRate,
                            rate / rawRate,
                            floorEvidence));
                    fastEnough &= warmRate >= 0.5 * rawRate;
                } catch (RuntimeException failed) {
                    // One size that fails is reported as such, and the other sizes are still measured.
                    unfinished.add(label + ": failed: " + failed.getMessage());
                    report.notes.add("audit of " + unfinished.getLast());
                    log("   audit " + label + " failed: " + failed);
                }
            }
        }
        if (auditRecording != null) {
            profile("audit", "Profile of the app during the audit of " + auditLabel, auditRecording);
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
                        " — measured only up to %,d orders here (see the notes), so flat up to that size",
                        largest);
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

    /**
     * One audit run of the caller's tenant: {@code seconds} from the run's start to its last shard's end, as
     * its report says (the server's clock); {@code wallSeconds} from the request that starts it to the poll
     * that finds it done.
     */
    record AuditRun(double seconds, double wallSeconds, JsonNode report) {}

    /**
     * Unmeasured raw reads and audits, one after the other, before the {@link #WARM_REPEATS} measured: after
     * the app's first run and the harness's first read, both still got faster run after run (one run's
     * five reads of 1,000 orders: 3,100, 4,800, 5,200, 8,100 and 9,500 orders/s; another's audits: 0.47,
     * 0.38, 0.23 s...), so the medians compared two sides part-way through their warm-up.
     */
    static final int WARM_UPS = 3;

    /** Audits and raw reads of up to this many orders are measured {@link #WARM_REPEATS} times (their medians). */
    static final int MEASURED_REPEATEDLY_UP_TO = 10_000;

    /** Warm audits, and raw reads interleaved with them, measured at sizes up to {@link #MEASURED_REPEATEDLY_UP_TO}. */
    static final int WARM_REPEATS = 5;

    /**
     * Starts the caller's tenant's run and polls its report once a second (the report reads every shard's
     * row: polled ten times a second, as this harness did, it loaded Table Storage as much as the audit
     * did; the service asks for {@code Retry-After} seconds); past the budget, a run with no report.
     */
    private AuditRun auditRun(long deadlineMillis) {
        long t0 = System.nanoTime();
        // The caller's tenant's run (the timer's run of every tenant is not the caller's to read).
        String runId = http.post(appUrl("/api/audits"), "{}")
                .expect(202)
                .json()
                .path("runId")
                .asText();
        long giveUp = Math.max(deadlineMillis, System.currentTimeMillis() + 30_000);
        while (System.currentTimeMillis() < giveUp) {
            Launched.sleep(1000);
            Http.Answer answer = http.get(appUrl("/api/audits/" + runId)).expect(200, 202);
            if (answer.status() == 200) {
                double wall = (System.nanoTime() - t0) / 1e9;
                JsonNode report = answer.json();
                Duration ran = Duration.between(
                        Instant.parse(report.path("startedAt").asText()),
                        Instant.parse(report.path("finishedAt").asText()));
                return new AuditRun(ran.toNanos() / 1e9, wall, report);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        return new AuditRun(wall, wall, null);
    }

    /** The values each formatted with {@code format}, comma-separated. */
    private static String joined(List<Double> values, String format) {
        return values.stream()
                .map(v -> String.format(Locale.ROOT, format, v))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Orders per second of reading every order of the table, page by page, with the SDK. */
    private double pagedRead(TableClient table, int expected) {
        long t0 = System.nanoTime();
        long count = readOrders(table, expected);
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    /** Pairs proven at once by {@link #auditFloor}: as many as the app audits orders at once by default. */
    static final int FLOOR_PROOFS_AT_ONCE = Integer.parseInt(CmkDefaults.AUDIT_CONCURRENCY);

    /**
     * Orders per second of the least an audit of these orders must do, with the SDKs: the paged read, and
     * meanwhile each (key, identity) pair's get, wrap and unwrap, as the app's audit overlaps the two.
     * Nothing written, no queue, no run record. On two shared cores the Key Vault emulator's CPU is
     * charged to it as it is to the audit, which makes it the yardstick of what the machine allows.
     */
    private double auditFloor(TableClient table, int expected, List<String> keyUrls, String identity) throws Exception {
        long t0 = System.nanoTime();
        List<Future<?>> proven = keyUrls.stream()
                .<Future<?>>map(url -> floorProvers.submit(() -> floor.provePair(url, identity)))
                .toList();
        long count = readOrders(table, expected);
        for (Future<?> proof : proven) {
            proof.get();
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * The threads of {@link #auditFloor}, kept for the whole run: each has key clients of its own
     * ({@link SdkFloor#provePair}), which keep their tokens from one measurement to the next.
     */
    private final ExecutorService floorProvers = Executors.newFixedThreadPool(
            FLOOR_PROOFS_AT_ONCE, Thread.ofPlatform().daemon().factory());

    private long readOrders(TableClient table, int expected) {
        long count = 0;
        var options =
                new com.azure.data.tables.models.ListEntitiesOptions().setFilter(BenchOrderWriter.ORDER_ROWS_ONLY);
        for (var page : table.listEntities(options, null, null).iterableByPage()) {
            count += page.getValue().size();
        }
        if (count != expected) {
            report.notes.add("raw paged read found " + count + " orders, " + expected + " written");
        }
        return count;
    }

    private TableClient stackTable(String name) {
        return floor.createTable(LocalServices.connectionString(), name);
    }

    /**
     * An order as the enable flow leaves it: customer key, checked healthy when enabled. The audit
     * measured is the steady one (every day's run), which finds what is stored and writes nothing.
     */
    private static Order cmkOrder(
            String name, String kekUrl, String vaultId, UserAssignedIdentity identity, Instant now) {
        // In the identity's tenant: that of the benchmark's caller, whose orders the audit reads (issue 12).
        return Order.draft(
                        new OrderRef(new TenantId(identity.tenantId()), new OrderName(name)),
                        "westus",
                        new OrderIdentity(null, Map.of(identity.resourceId(), identity)),
                        now)
                .withProtection(
                        new KeyProtection.CustomerManaged(
                                KeyUrl.parse(kekUrl),
                                new VaultResourceId(vaultId),
                                KeyIdentity.userAssigned(new UserAssignedIdentityId(identity.resourceId())),
                                false),
                        new WrappedUnlockKey(kekUrl, "RSA-OAEP-256", new byte[256]))
                .withKeyHealth(KeyHealth.healthy(now));
    }

    // ---------------------------------------------------------------- processes, output

    private Launched launchApp(String name, boolean aot, List<String> extra) {
        return launchVariant(
                new Variant("app", root.resolve("service/target/quarkus-app"), Kind.APP),
                name,
                aot ? Aot.ON : Aot.OFF,
                extra);
    }

    private Launched launchVariant(Variant v, String name, Aot aot, List<String> extra) {
        List<String> args = new ArrayList<>();
        Map<String, String> env = Map.of();
        switch (v.kind()) {
            case MINIMAL -> args.add("-Dquarkus.http.port=" + MINIMAL_PORT);
            case FLOOR -> {
                args.addAll(List.of(
                        "-Dquarkus.http.port=" + FLOOR_PORT,
                        "-Dfloor.connection-string=" + LocalServices.connectionString()));
                env = stack.appEnvironment(FLOOR_PORT);
            }
            case APP -> {
                args.addAll(List.of(
                        "-Dquarkus.profile=local",
                        "-D%local.cmk.storage.connection-string=" + LocalServices.connectionString()));
                env = stack.appEnvironment(APP_PORT);
            }
        }
        args.addAll(extra);
        return launch(name, v.dir(), aot, args, env);
    }

    private Launched launch(String name, Path dir, Aot aot, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        switch (aot) {
            case OFF -> {}
            // AOTMode=on: refuse to start rather than silently run without the cache.
            case ON -> command.addAll(List.of("-XX:AOTMode=on", "-XX:AOTCache=app.aot"));
            // As scripts/lib/aot-train.sh trains the function app's: without the training run's method
            // profiles, which C1 alone does not use and which made it compile the workload's methods at start.
            case TRAIN ->
                command.addAll(List.of(
                        "-XX:AOTCacheOutput=app.aot", "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining"));
        }
        // Every variant with the JVM options the function app ships (its memory bounds), as its launcher starts it.
        command.add("@" + root.resolve("service/target/function-app/jvm.options"));
        command.addAll(args);
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        return Launched.start(name, command, dir, env, out.resolve("logs/" + name + ".log"));
    }

    private static String appUrl(String path) {
        return "http://127.0.0.1:" + APP_PORT + path;
    }

    private static String floorUrl(String path) {
        return "http://127.0.0.1:" + FLOOR_PORT + path;
    }

    private static String minimalUrl(String path) {
        return "http://127.0.0.1:" + MINIMAL_PORT + path;
    }

    private void finish() throws IOException {
        double total = (System.currentTimeMillis() - scriptStartMillis) / 1000.0;
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

    private void log(String message) {
        System.out.printf(
                Locale.ROOT, "[%5.0f s] %s%n", (System.currentTimeMillis() - scriptStartMillis) / 1000.0, message);
    }

    static void parallel(int threads, int count, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.accept(index)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

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

    private static String spread(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "(min %.0f, max %.0f)", sorted[0], sorted[sorted.length - 1]);
    }
}
