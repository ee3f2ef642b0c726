package com.databox.cmk.bench;

import static com.databox.cmk.bench.Launcher.appUrl;
import static com.databox.cmk.bench.Launcher.floorUrl;
import static com.databox.cmk.bench.Launcher.minimalUrl;

import com.databox.cmk.bench.Launcher.Aot;
import com.databox.cmk.bench.Launcher.Variant;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Each one's JDK AOT cache, trained on real requests: the process runs with
 * -XX:AOTCacheOutput, answers its workload and is stopped; the JVM writes app.aot as it exits.
 */
final class AotTraining {
    private final RunContext run;
    private final Http http;
    private final Report report;

    AotTraining(RunContext run) {
        this.run = run;
        this.http = run.http();
        this.report = run.report();
    }

    void train(List<Variant> variants) throws Exception {
        // The app first: the floor app reads the orders its training wrote.
        for (Variant v : variants.reversed()) {
            run.log("   training the AOT cache of " + v.name());
            Files.deleteIfExists(v.dir().resolve("app.aot"));
            long t0 = System.nanoTime();
            Launched process = run.launcher().launchVariant(v, v.name() + "-training", Aot.TRAIN, List.of());
            int failed;
            try {
                process.awaitOk(http, v.readyUrl(), Duration.ofSeconds(120));
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

    private int repeat(int times, IntFunction<String> url) {
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

    /** The README's customer-managed-key flow on five orders, the listing, the document, an audit. */
    private int appWorkload() {
        LocalServices stack = run.stack();
        String identity = stack.settings.get("DEMO_IDENTITY_RESOURCE_ID");
        run.admin().letCallerUse(identity);
        String newKid = run.admin().newKey("contoso", "databox-kek", 3072);
        String create = OrderBodies.create(identity);
        String enable = OrderBodies.enable(
                stack.settings.get("DEMO_KEY_URL"), stack.settings.get("DEMO_VAULT_RESOURCE_ID"), identity);
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
}
