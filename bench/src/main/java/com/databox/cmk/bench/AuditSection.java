package com.databox.cmk.bench;

import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Section 3, audit scaling: the app's audit of 1,000 to 100,000 orders over 10 or 100 keys, each size against
 * the smallest, a raw paged read of the same orders and the audit's SDK floor; as many sizes as the budget
 * allows.
 */
final class AuditSection {
    static final String SECTION = "3 audit";

    /** The vault that holds the audit's keys; the emulator counts the requests it answers. */
    static final String VAULT = "bench-audit";

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

    /** The audit's vault, its keys (as many as the most keys asked for) and the identity that may use them. */
    record AuditFixture(String vaultId, List<String> keys, UserAssignedIdentity identity) {}

    /**
     * One size of the audit: its orders over its keys; measured repeatedly or once, as its budget was planned
     * (a size the budget cuts keeps the plan of the size asked for); the SDK floor measured too, and a profiled
     * run; the smallest size of the run, the base of the others.
     */
    record AuditSize(int orders, int keys, boolean repeated, boolean withFloor, boolean profiled, int smallest) {
        String label() {
            return String.format(Locale.ROOT, "%,d orders / %d keys", orders, keys);
        }

        /** The label of the size the others of its key count are set against. */
        String base() {
            return String.format(Locale.ROOT, "%,d orders / %d keys", smallest, keys);
        }

        /** How many times its warm audit and its raw read are measured. */
        int repeats() {
            // A read or an audit of a second or two is noisy (the raw read of 1,000 orders took 0.15 to
            // 0.58 s in one session's runs): both sides are measured WARM_REPEATS times there, each
            // raw read just before an audit, so that both meet the machine's load of the moment, and
            // their medians compared. The table's first read, slower than the later ones (as the
            // audit's first run is), is made before the app starts and left out then. Larger sizes
            // run long enough to average themselves, and are read once, before the app starts.
            return repeated ? WARM_REPEATS : 1;
        }
    }

    private final RunContext run;
    private final Benchmark.Options options;
    private final Report report;
    private final AuditCost cost = new AuditCost();
    private final AuditVerdicts verdicts = new AuditVerdicts();

    AuditSection(RunContext run) {
        this.run = run;
        this.options = run.options();
        this.report = run.report();
    }

    void measure() throws Exception {
        int maxKeys =
                options.auditKeys().stream().mapToInt(Integer::intValue).max().orElse(100);
        run.log("3. Audit scaling: creating " + maxKeys + " keys");
        AuditFixture fixture = createFixture(maxKeys);
        AuditProbes probes = new AuditProbes(run);
        List<Integer> sizes = options.auditSizes().stream().sorted().toList();
        // Every size at the first key count before any other key count: the targets (100k measured,
        // its peak RSS against 1k's) are in reach of the default budget, and the other counts come as it allows.
        for (int k : options.auditKeys()) {
            for (int size : sizes) {
                boolean repeated = size <= MEASURED_REPEATEDLY_UP_TO;
                // The SDK floor where the pairs' proofs weigh most: the smallest size of each key count.
                boolean withFloor = repeated && size == sizes.getFirst();
                // Larger sizes are profiled only when no smaller size was: the profile printed is the last one.
                boolean profiledToo = repeated || !verdicts.anyProfiled();
                // Each size is audited at least twice: first run after start, then on the warm instance
                // (measured once, or WARM_UPS + WARM_REPEATS times with a raw read before each), then profiled.
                int audits =
                        1 + (repeated ? WARM_UPS + WARM_REPEATS : 1) + (profiledToo ? options.profileRepeats() : 0);
                int reads = 1 + (repeated ? (WARM_UPS + WARM_REPEATS) * (withFloor ? 2 : 1) : 0);
                OptionalInt orders = ordersWithinBudget(size, k, sizes, audits, reads);
                if (orders.isPresent()) {
                    AuditSize measured =
                            new AuditSize(orders.getAsInt(), k, repeated, withFloor, profiledToo, sizes.getFirst());
                    new AuditOfOneSize(run, fixture, probes, cost, verdicts, measured).measure();
                }
            }
        }
        verdicts.report(run, sizes.getLast());
    }

    private AuditFixture createFixture(int maxKeys) throws Exception {
        EmulatorAdmin admin = run.admin();
        String vaultId = admin.createVault(VAULT);
        String[] keys = new String[maxKeys];
        Parallel.run(2, maxKeys, i -> keys[i] = admin.newKey(VAULT, "k" + i, 2048));
        JsonNode uai = admin.createIdentity("uai-audit");
        admin.grantKeyUse(VAULT, uai.path("principalId").asText());
        UserAssignedIdentity identity = new UserAssignedIdentity(
                new UserAssignedIdentityId(uai.path("resourceId").asText()),
                uai.path("principalId").asText(),
                uai.path("clientId").asText(),
                uai.path("tenantId").asText());
        return new AuditFixture(vaultId, List.of(keys), identity);
    }

    /**
     * The orders of this size that fit what is left of the budget: all of them; as many as fit (noted), when
     * that is at least twice the size before at the first key count; none (noted), else.
     */
    private OptionalInt ordersWithinBudget(int size, int k, List<Integer> sizes, int audits, int reads) {
        double remaining = (run.clock().deadlineMillis() - System.currentTimeMillis()) / 1000.0 - 25;
        double estimate = cost.seconds(size, audits, reads);
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
                return OptionalInt.empty();
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
            return OptionalInt.of(fits);
        }
        return OptionalInt.of(size);
    }
}
