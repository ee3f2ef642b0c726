package com.databox.cmk.bench;

import static com.databox.cmk.bench.Launcher.appUrl;

import com.azure.data.tables.TableClient;
import com.databox.cmk.bench.AuditProbes.AuditRun;
import com.databox.cmk.bench.AuditSection.AuditFixture;
import com.databox.cmk.bench.AuditSection.AuditSize;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.storage.BenchOrderWriter;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Section 3 at one size: its orders written to a table of their own and read raw, then an app started on them
 * and its audit measured: the first run after start, the warm runs (with raw reads, and the audit's SDK floor,
 * between them), a run under JFR; then the size's rows, and its part of the section's targets.
 */
final class AuditOfOneSize {
    /** What the warm runs of a size collect, in the order measured. */
    private static final class Samples {
        final List<Double> rawRates = new ArrayList<>();
        final Map<String, List<Double>> rawCpu = new LinkedHashMap<>();
        final List<Double> auditSeconds = new ArrayList<>();
        final Map<String, List<Double>> auditCpu = new LinkedHashMap<>();
        final List<Double> floorRates = new ArrayList<>();
        final Map<String, List<Double>> floorCpu = new LinkedHashMap<>();
        final List<Double> settleMillis = new ArrayList<>();
    }

    private final RunContext run;
    private final Report report;
    private final AuditFixture fixture;
    private final AuditProbes probes;
    private final AuditCost cost;
    private final AuditVerdicts verdicts;
    private final AuditSize size;
    private final int n;
    private final int k;
    private final String label;
    private final int repeats;
    private final Samples samples = new Samples();

    AuditOfOneSize(
            RunContext run,
            AuditFixture fixture,
            AuditProbes probes,
            AuditCost cost,
            AuditVerdicts verdicts,
            AuditSize size) {
        this.run = run;
        this.report = run.report();
        this.fixture = fixture;
        this.probes = probes;
        this.cost = cost;
        this.verdicts = verdicts;
        this.size = size;
        this.n = size.orders();
        this.k = size.keys();
        this.label = size.label();
        this.repeats = size.repeats();
    }

    void measure() throws Exception {
        run.log("   audit " + label);
        String table = "audit" + n + "x" + k;
        TableClient client = run.floor().createTable(LocalServices.connectionString(), table);
        double writeSeconds = writeOrders(client);
        cost.wrote(n, writeSeconds);
        // The stack and the harness; the app's is added once it runs.
        Map<String, Long> stackPids = new LinkedHashMap<>(run.stack().pids());
        stackPids.put("harness", ProcessHandle.current().pid());
        double firstRead = readBeforeTheApp(client, stackPids);
        try (Launched app =
                run.launcher().launchApp("audit-" + n + "-" + k, List.of("-Dcmk.storage.orders-table=" + table))) {
            auditOnTheApp(app, client, stackPids, firstRead, writeSeconds);
        } catch (RuntimeException failed) {
            // One size that fails is reported as such, and the other sizes are still measured.
            verdicts.unfinished(report, label + ": failed: " + failed.getMessage());
            run.log("   audit " + label + " failed: " + failed);
        }
    }

    /** Writes the size's orders, a transaction's worth at a time, 8 at once; answers the seconds taken. */
    private double writeOrders(TableClient client) throws Exception {
        BenchOrderWriter writer = new BenchOrderWriter(client);
        Instant now = Instant.now();
        String prefix = "a" + k + "-";
        long w0 = System.nanoTime();
        int batch = BenchOrderWriter.ORDERS_PER_TRANSACTION;
        Parallel.run(
                8,
                (n + batch - 1) / batch,
                b -> writer.create(
                        IntStream.range(b * batch, Math.min(n, (b + 1) * batch))
                                .mapToObj(i -> cmkOrder(
                                        prefix + i,
                                        fixture.keys().get(i % k),
                                        fixture.vaultId(),
                                        fixture.identity(),
                                        now))
                                .toList(),
                        new HistoryEntry(now, "create", "benchmark", "bulk order")));
        return (System.nanoTime() - w0) / 1e9;
    }

    /** The table's first read, its rate; the one measured when the size is read once. */
    private double readBeforeTheApp(TableClient client, Map<String, Long> stackPids) {
        Map<String, Double> beforeFirstRead = ProcessCpu.snapshot(stackPids);
        double firstRead = probes.pagedRead(client, n);
        cost.read(firstRead);
        if (repeats == 1) {
            samples.rawRates.add(firstRead);
            // The one read measured: its CPU is compared with the audit's too (no app runs yet).
            ProcessCpu.addSince(beforeFirstRead, ProcessCpu.snapshot(stackPids), samples.rawCpu);
        }
        return firstRead;
    }

    private void auditOnTheApp(
            Launched app, TableClient client, Map<String, Long> stackPids, double firstRead, double writeSeconds)
            throws Exception {
        app.awaitOk(run.http(), appUrl("/api/orders?top=1"), Duration.ofSeconds(60));
        run.admin().forgetRequests(AuditSection.VAULT);
        // The first run after start, as the daily timer meets a new instance: no profiler, so
        // that its peak RSS is the app's alone (a JFR recording's buffers grow with its length).
        AuditRun cold = probes.auditRun();
        double rssMiB = app.peakRssKib() / 1024.0;
        if (cold.report() == null) {
            verdicts.unfinished(
                    report,
                    String.format(
                            Locale.ROOT,
                            "%s: not finished after %.0f s, when the %d s budget ran out (peak RSS %.0f MiB by then)",
                            label,
                            cold.seconds(),
                            run.options().budgetSeconds(),
                            rssMiB));
            return;
        }
        cost.audited(n, cold.seconds());
        JsonNode calls = run.admin().requests(AuditSection.VAULT);
        // The same orders again on the now warm instance: the steady rate, which is what a raw
        // read by the (equally warm) harness is compared with. Not under the profiler, whose
        // start and sampling would weigh on a run of a second as they do not on the raw read.
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("app", app.pid());
        pids.putAll(stackPids);
        AuditRun warm = measureWarm(client, pids, warmUp(client, pids));
        // None measured when a warm-up audit did not finish in the budget (reported below).
        double rawRate = samples.rawRates.isEmpty() ? firstRead : Stats.median(samples.rawRates);
        AuditRun profiled = size.profiled() ? profiledRun(app, pids, warm) : null;
        double rate = reportFirstRun(cold, calls, rssMiB, rawRate, writeSeconds);
        if (warm.report() == null) {
            report.notes.add("the second audit of " + label + " did not finish within the budget");
            verdicts.warmRunUnfinished();
            return;
        }
        reportWarmRuns(warm, profiled, rate, rawRate);
    }

    /** Neither side is measured while its JIT still warms to it: the unmeasured runs; the last audit, if any. */
    private AuditRun warmUp(TableClient client, Map<String, Long> pids) throws Exception {
        AuditRun warm = null;
        if (repeats > 1) {
            for (int r = 0; r < AuditSection.WARM_UPS && (warm == null || warm.report() != null); r++) {
                ProcessCpu.settle(pids);
                probes.pagedRead(client, n);
                if (size.withFloor()) {
                    ProcessCpu.settle(pids);
                    probes.auditFloor(
                            client, n, pairs(), fixture.identity().resourceId().value());
                }
                ProcessCpu.settle(pids);
                warm = probes.auditRun();
            }
        }
        return warm;
    }

    /** The measured warm audits, each (when repeated) after a raw read and the SDK floor; the last audit. */
    private AuditRun measureWarm(TableClient client, Map<String, Long> pids, AuditRun warmedUp) throws Exception {
        AuditRun warm = warmedUp;
        for (int r = 0; r < repeats && (warm == null || warm.report() != null); r++) {
            if (repeats > 1) {
                samples.settleMillis.add(ProcessCpu.settle(pids));
                Map<String, Double> before = ProcessCpu.snapshot(pids);
                samples.rawRates.add(probes.pagedRead(client, n));
                ProcessCpu.addSince(before, ProcessCpu.snapshot(pids), samples.rawCpu);
                if (size.withFloor()) {
                    samples.settleMillis.add(ProcessCpu.settle(pids));
                    before = ProcessCpu.snapshot(pids);
                    samples.floorRates.add(probes.auditFloor(
                            client, n, pairs(), fixture.identity().resourceId().value()));
                    ProcessCpu.addSince(before, ProcessCpu.snapshot(pids), samples.floorCpu);
                }
            }
            samples.settleMillis.add(ProcessCpu.settle(pids));
            Map<String, Double> before = ProcessCpu.snapshot(pids);
            warm = probes.auditRun();
            ProcessCpu.addSince(before, ProcessCpu.snapshot(pids), samples.auditCpu);
            samples.auditSeconds.add(warm.seconds());
        }
        return warm;
    }

    /** The (key, identity) pairs of the size's orders. */
    private List<String> pairs() {
        return fixture.keys().subList(0, k);
    }

    /** One more run, profiled, for the profile only. */
    private AuditRun profiledRun(Launched app, Map<String, Long> pids, AuditRun warm) {
        Path recording = run.out().resolve("app-audit-" + n + "-" + k + ".jfr");
        Profiles.jcmd(
                app.pid(),
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
                "jdk.CPUTimeSample#throttle=1ms");
        AuditRun profiled = warm.report() == null ? warm : probes.auditRun();
        // --profile-repeats: more runs in the same recording, for more samples of a short run.
        for (int r = 1; r < run.options().profileRepeats() && profiled.report() != null; r++) {
            ProcessCpu.settle(pids);
            profiled = probes.auditRun();
        }
        Profiles.jcmd(app.pid(), "JFR.stop", "name=audit", "filename=" + recording);
        verdicts.profiled(
                recording, label + (profiled.report() == null ? ", profiled run (unfinished)" : ", profiled run"));
        return profiled;
    }

    /** The first run's rows, set against the first size of its key count; answers its rate. */
    private double reportFirstRun(AuditRun cold, JsonNode calls, double rssMiB, double rawRate, double writeSeconds) {
        JsonNode done = cold.report();
        long kvCalls = calls.path("total").asLong();
        int checked = done.path("ordersChecked").asInt();
        double rate = n / cold.seconds();
        verdicts.measured(n, k, rate, rssMiB);
        String s = AuditSection.SECTION;
        String base = size.base();
        report.add(
                s,
                label + ": orders audited per second, first run after start",
                rate,
                "orders/s",
                verdicts.firstRate(k),
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
        report.add(s, label + ": peak RSS of the app", rssMiB, "MiB", verdicts.firstRss(k), base, "VmHWM");
        report.add(
                s,
                label + ": first run after start vs a raw paged read of the same orders",
                rate,
                "orders/s",
                rawRate,
                "SDK paged table read",
                "the read alone, no Key Vault and no writes: the most any audit could do");
        verdicts.keyVaultCalls(label, kvCalls, k, checked == n);
        verdicts.peakRss(label, rssMiB, k);
        return rate;
    }

    /** The warm runs' rows, against the raw read and the SDK floor of the audit. */
    private void reportWarmRuns(AuditRun warm, AuditRun profiled, double rate, double rawRate) {
        String s = AuditSection.SECTION;
        double warmRate = n / Stats.median(samples.auditSeconds);
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
                                : "median of " + Stats.joined(samples.auditSeconds, "%.2f s") + "; raw reads "
                                        + Stats.joined(samples.rawRates, "%.0f")
                                        + " orders/s, each just before an audit; each started once"
                                        + " the stack was quiet, after " + ProcessCpu.settled(samples.settleMillis))
                        + (profiled == null
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        "; a run under JFR, for the profile: %.1f s",
                                        profiled.seconds())));
        if (!samples.rawCpu.isEmpty()) {
            // On two shared cores, an audit's wall time follows the CPU all its processes spend.
            report.add(
                    s,
                    label + ": CPU of every process, warm audit vs raw read"
                            + (repeats == 1 ? "" : " (medians of " + repeats + ")"),
                    ProcessCpu.medianTotal(samples.auditCpu),
                    "ms",
                    ProcessCpu.medianTotal(samples.rawCpu),
                    "raw paged read",
                    "audit: " + ProcessCpu.medians(samples.auditCpu) + "; raw read: "
                            + ProcessCpu.medians(samples.rawCpu)
                            + " (the harness: the raw read's parsing, the audit's report polls)");
        }
        String floorEvidence = reportFloor(warmRate, rawRate);
        verdicts.warmRate(
                String.format(
                        Locale.ROOT,
                        "%s: %.0f / %.0f = %.2fx (first run after start %.2fx%s)",
                        label,
                        warmRate,
                        rawRate,
                        warmRate / rawRate,
                        rate / rawRate,
                        floorEvidence),
                warmRate >= 0.5 * rawRate);
    }

    /** The SDK floor of the audit's rows, when measured; answers its part of the rate target's evidence. */
    private String reportFloor(double warmRate, double rawRate) {
        if (samples.floorRates.isEmpty()) {
            return "";
        }
        String s = AuditSection.SECTION;
        double floorRate = Stats.median(samples.floorRates);
        report.add(
                s,
                label + ": SDK floor of the audit vs a raw paged read of the same orders",
                floorRate,
                "orders/s",
                rawRate,
                "SDK paged table read",
                "the paged read with each pair's 3 Key Vault calls at the same time ("
                        + Math.min(k, AuditProbes.FLOOR_PROOFS_AT_ONCE)
                        + " at once), by the SDKs from the harness, nothing written: the most"
                        + " an audit could do on this machine; median of "
                        + Stats.joined(samples.floorRates, "%.0f") + " orders/s; CPU (medians): "
                        + ProcessCpu.medians(samples.floorCpu));
        report.add(
                s,
                label + ": warm instance vs the SDK floor of the audit",
                warmRate,
                "orders/s",
                floorRate,
                "SDK floor of the audit",
                "medians of " + repeats + " each");
        return String.format(
                Locale.ROOT,
                "; its SDK floor %.2fx%s",
                floorRate / rawRate,
                floorRate < 0.5 * rawRate ? ", so 0.5x is out of reach on this machine" : "");
    }

    /**
     * An order as the enable flow leaves it: customer key, checked healthy when enabled. The audit
     * measured is the steady one (every day's run), which finds what is stored and writes nothing.
     */
    private static Order cmkOrder(
            String name, String kekUrl, String vaultId, UserAssignedIdentity identity, Instant now) {
        KeyUrl key = KeyUrl.parse(kekUrl);
        // In the identity's tenant: that of the benchmark's caller, whose orders the audit reads (issue 12).
        return Order.draft(
                        new OrderRef(new TenantId(identity.tenantId()), new OrderName(name)),
                        "westus",
                        new OrderIdentity(null, Map.of(identity.resourceId(), identity)),
                        now)
                .withProtection(
                        new KeyProtection.CustomerManaged(
                                key,
                                new VaultResourceId(vaultId),
                                KeyIdentity.userAssigned(identity.resourceId()),
                                false),
                        new WrappedUnlockKey(key, "RSA-OAEP-256", new byte[256]))
                .withKeyHealth(KeyHealth.healthy(now));
    }
}
