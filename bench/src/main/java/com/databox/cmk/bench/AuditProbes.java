package com.databox.cmk.bench;

import static com.databox.cmk.bench.Launcher.appUrl;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.storage.BenchOrderWriter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What section 3 measures on a table of orders: an audit run by the app, a raw paged read of the orders,
 * and the audit's SDK floor.
 */
final class AuditProbes {
    /**
     * One audit run of the caller's tenant: {@code seconds} from the run's start to its last shard's end, as
     * its report says (the server's clock); {@code wallSeconds} from the request that starts it to the poll
     * that finds it done.
     */
    record AuditRun(double seconds, double wallSeconds, JsonNode report) {}

    /** Pairs proven at once by {@link #auditFloor}: as many as the app audits orders at once by default. */
    static final int FLOOR_PROOFS_AT_ONCE = Integer.parseInt(CmkDefaults.AUDIT_CONCURRENCY);

    private final RunContext run;

    /**
     * The threads of {@link #auditFloor}, kept for the whole run: each has key clients of its own
     * ({@link SdkFloor#provePair}), which keep their tokens from one measurement to the next.
     */
    private final ExecutorService floorProvers = Executors.newFixedThreadPool(
            FLOOR_PROOFS_AT_ONCE, Thread.ofPlatform().daemon().factory());

    AuditProbes(RunContext run) {
        this.run = run;
    }

    /**
     * Starts the caller's tenant's run and polls its report once a second (the report reads every shard's
     * row: polled ten times a second, as this harness did, it loaded Table Storage as much as the audit
     * did; the service asks for {@code Retry-After} seconds); past the budget, a run with no report.
     */
    AuditRun auditRun() {
        Http http = run.http();
        long t0 = System.nanoTime();
        // The caller's tenant's run (the timer's run of every tenant is not the caller's to read).
        String runId = http.post(appUrl("/api/audits"), "{}")
                .expect(202)
                .json()
                .path("runId")
                .asText();
        long giveUp = Math.max(run.clock().deadlineMillis(), System.currentTimeMillis() + 30_000);
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

    /** Orders per second of reading every order of the table, page by page, with the SDK. */
    double pagedRead(TableClient table, int expected) {
        long t0 = System.nanoTime();
        long count = readOrders(table, expected);
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * Orders per second of the least an audit of these orders must do, with the SDKs: the paged read, and
     * meanwhile each (key, identity) pair's get, wrap and unwrap, as the app's audit overlaps the two.
     * Nothing written, no queue, no run record. On two shared cores the Key Vault emulator's CPU is
     * charged to it as it is to the audit, which makes it the yardstick of what the machine allows.
     */
    double auditFloor(TableClient table, int expected, List<String> keyUrls, String identity) throws Exception {
        long t0 = System.nanoTime();
        List<Future<?>> proven = keyUrls.stream()
                .<Future<?>>map(url -> floorProvers.submit(() -> run.floor().provePair(url, identity)))
                .toList();
        long count = readOrders(table, expected);
        for (Future<?> proof : proven) {
            proof.get();
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    private long readOrders(TableClient table, int expected) {
        long count = 0;
        var options = new ListEntitiesOptions().setFilter(BenchOrderWriter.ORDER_ROWS_ONLY);
        for (var page : table.listEntities(options, null, null).iterableByPage()) {
            count += page.getValue().size();
        }
        if (count != expected) {
            run.report().notes.add("raw paged read found " + count + " orders, " + expected + " written");
        }
        return count;
    }
}
