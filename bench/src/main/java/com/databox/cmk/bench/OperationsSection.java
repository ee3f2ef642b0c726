package com.databox.cmk.bench;

import static com.databox.cmk.bench.Launcher.appUrl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Section 2, per-operation overhead: enable, change-key and validate, each on orders of its own, through the
 * app over HTTP and made directly with the SDK (the floor), one after the other; their p50 and p99.
 */
final class OperationsSection {
    private static final String SECTION = "2 per-operation";

    /** The orders measured, app's and floor's, and the identity they use: throughput measures on them too. */
    record OpsFixture(List<String> appOrders, List<String> floorOrders, String identity, SdkFloor floor) {}

    private final RunContext run;
    private final Http http;
    private final Report report;

    OperationsSection(RunContext run) {
        this.run = run;
        this.http = run.http();
        this.report = run.report();
    }

    OpsFixture measure() throws Exception {
        int total = run.options().opWarmup() + run.options().opSamples();
        run.log("2. Per-operation overhead: " + run.options().opSamples() + " samples each (after "
                + run.options().opWarmup() + " warm-up), app over HTTP vs the SDK floor");
        EmulatorAdmin admin = run.admin();
        String vaultId = admin.createVault("bench");
        String keyA = admin.newKey("bench", "kek-a", 3072);
        String keyB = admin.newKey("bench", "kek-b", 3072);
        JsonNode uai = admin.createIdentity("uai-bench");
        String identity = uai.path("resourceId").asText();
        admin.letCallerUse(identity);
        admin.grantKeyUse("bench", uai.path("principalId").asText());

        List<String> appOrders = new ArrayList<>();
        List<String> floorOrders = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            appOrders.add("bench-a-" + i);
            floorOrders.add("bench-f-" + i);
        }
        String create = OrderBodies.create(identity);
        List<String> all = new ArrayList<>(appOrders);
        all.addAll(floorOrders);
        Parallel.run(
                4,
                all.size(),
                i -> http.put(appUrl("/api/orders/" + all.get(i)), create).expect(200, 201));

        SdkFloor floor = run.floor();
        String enableBody = OrderBodies.enable(keyA, vaultId, identity);
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
    void httpClientErrors(String app) throws IOException {
        Path log = run.out().resolve("logs/" + app + ".log");
        if (!Files.exists(log)) {
            return;
        }
        long count;
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            count = lines.filter(line -> line.contains("java.util.NoSuchElementException"))
                    .count();
        }
        report.notes.add(app + ": Vert.x's HTTP client logged " + count
                + " NoSuchElementException(s) (Http1xClientConnection.endRequest) during sections 2 and 4");
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
            if (i >= run.options().opWarmup()) {
                appMs.add(a);
                floorMs.add(f);
            }
        }
        double a50 = Stats.percentile(appMs, 50);
        double f50 = Stats.percentile(floorMs, 50);
        report.add(SECTION, op + ": p50", a50, "ms", f50, "SDK floor", "floor: " + floorCalls + "; n=" + appMs.size());
        double a99 = Stats.percentile(appMs, 99);
        double f99 = Stats.percentile(floorMs, 99);
        report.add(
                SECTION,
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
        return Stats.joined(
                        samples.stream()
                                .sorted(Comparator.reverseOrder())
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
}
