package com.databox.cmk.bench;

import static com.databox.cmk.bench.Launcher.appUrl;
import static com.databox.cmk.bench.Launcher.floorUrl;

import com.databox.cmk.bench.OperationsSection.OpsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Section 4, throughput: get-order and validate under 1, 8 and 32 concurrent clients, against the floor app
 * (the same HTTP hop) and the SDK; then one pass under JFR, for the profile.
 */
final class ThroughputSection {
    private static final String SECTION = "4 throughput";

    /** Rounds of the get-order loads, app and floor app in turn; their medians are compared. */
    static final int ROUNDS = 3;

    private static final List<Integer> CLIENTS = List.of(1, 8, 32);

    private final RunContext run;
    private final Http http;
    private final Report report;

    ThroughputSection(RunContext run) {
        this.run = run;
        this.http = run.http();
        this.report = run.report();
    }

    /** On the orders the operations section enabled, with the app that served it still running. */
    void measure(Launched service, OpsFixture fx) throws Exception {
        run.log("4. Throughput: 1, 8, 32 concurrent clients, " + run.options().throughputSeconds()
                + " s each (get-order: app and floor app in turn, " + ROUNDS
                + " rounds); then one pass under JFR, for the profile");
        warmUpGetOrder(fx);
        IntConsumer appGet =
                i -> http.get(appUrl("/api/orders/" + fx.appOrders().get(i))).expect(200);
        // The same orders through the floor app: the same HTTP hop, token check and table read.
        IntConsumer floorGet =
                i -> http.get(floorUrl("/api/orders/" + fx.appOrders().get(i))).expect(200);
        IntConsumer appValidate =
                i -> http.post(appUrl("/api/orders/" + fx.appOrders().get(i) + "/encryption/validate"), null)
                        .expect(200);
        getOrder(fx, appGet, floorGet);
        validate(fx, appValidate);
        profile(service, fx, appGet, appValidate);
    }

    /**
     * The same warm-up for both get-order paths: the app's JIT has seen the operations above,
     * the floor app's nothing yet.
     */
    private void warmUpGetOrder(OpsFixture fx) {
        int warm = run.options().opWarmup() + run.options().opSamples();
        for (int i = 0; i < 2 * warm; i++) {
            String order = fx.appOrders().get(i % fx.appOrders().size());
            http.get(appUrl("/api/orders/" + order)).expect(200);
            http.get(floorUrl("/api/orders/" + order)).expect(200);
        }
    }

    private void getOrder(OpsFixture fx, IntConsumer appGet, IntConsumer floorGet) throws Exception {
        List<String> evidence = new ArrayList<>();
        boolean met = true;
        for (int clients : CLIENTS) {
            // Neither side under the profiler (the floor app never is), and both measured in turn, each
            // round in the other order: a 3-second load on a shared machine swings by a tenth.
            List<Double> app = new ArrayList<>();
            List<Double> hop = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
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
            double appMedian = Stats.median(app);
            double hopMedian = Stats.median(hop);
            report.add(
                    SECTION,
                    "get-order, " + clients + " client(s), median of " + ROUNDS,
                    appMedian,
                    "ops/s",
                    hopMedian,
                    "floor app over HTTP",
                    "app " + Stats.joined(app, "%.0f") + "; floor app " + Stats.joined(hop, "%.0f") + " ops/s"
                            + (clients == 1 ? "; GET /api/orders/{name} of each" : ""));
            report.add(
                    SECTION,
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
    }

    private void validate(OpsFixture fx, IntConsumer appValidate) throws Exception {
        for (int clients : CLIENTS) {
            double app = load(clients, fx.appOrders().size(), appValidate);
            double floor = load(
                    clients,
                    fx.floorOrders().size(),
                    i -> fx.floor().validate(fx.floorOrders().get(i), fx.identity()));
            report.add(
                    SECTION,
                    "validate, " + clients + " client(s)",
                    app,
                    "ops/s",
                    floor,
                    "SDK floor",
                    clients == 1 ? "ratio < 1: the app is slower" : null);
        }
    }

    /** One more pass, under JFR, for the profile only: its figures are not compared. */
    private void profile(Launched service, OpsFixture fx, IntConsumer appGet, IntConsumer appValidate)
            throws Exception {
        Path recording = run.out().resolve("app-throughput.jfr");
        Files.deleteIfExists(recording);
        Profiles.jcmd(service.pid(), "JFR.start", "name=bench", "settings=profile");
        load(32, fx.appOrders().size(), appGet);
        load(8, fx.appOrders().size(), appValidate);
        Profiles.jcmd(service.pid(), "JFR.stop", "name=bench", "filename=" + recording);
        Profiles.report(
                run,
                "throughput",
                "Profile of the app during one more pass of get-order (32 clients) and validate (8 clients)",
                recording);
    }

    /** Closed-loop load: {@code clients} threads, each on its own orders (i % clients), for the set time. */
    private double load(int clients, int orders, IntConsumer op) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long end = warmEnd + TimeUnit.SECONDS.toNanos(run.options().throughputSeconds());
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
        return done.get() / (double) run.options().throughputSeconds();
    }
}
