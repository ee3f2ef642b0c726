package com.databox.cmk.bench;

import java.util.Locale;

/**
 * What a size of the audit section will take, from the sizes measured before it: a fixed part and a part
 * per order, for the writes, each audit and each read. Until 2026-12-01 it was a cost per order only,
 * learned from the size before, which at 1,000 orders is nearly all the run's fixed work: it estimated
 * 10,000 orders at 136 s (they take about 45) and cut a loaded machine's default run to 8,000 and 57,000.
 */
final class AuditCost {
    /** The app's start and the settling between steps of a size. */
    static final double SIZE_SECONDS = 10;

    /** A run's work whatever its size (its start, the queue's hops, the report's polls): a warm 1k run's. */
    static final double AUDIT_SECONDS = 1.5;

    /** The least time per order assumed, for the first sizes: a fast machine's audit of 100,000. */
    static final double MIN_AUDIT_PER_ORDER = 0.1e-3;

    private double writePerOrder = 1 / 800.0;
    private double auditPerOrder = 1 / 2000.0;
    private double readPerOrder = 1 / 5000.0;

    /** Orders of the write are written 50 a transaction, 8 at once: per order, apart from its first second. */
    void wrote(int n, double seconds) {
        writePerOrder = Math.max(seconds - 1, seconds / 2) / n;
    }

    void read(double ordersPerSecond) {
        readPerOrder = 1 / ordersPerSecond;
    }

    void audited(int n, double coldSeconds) {
        auditPerOrder = Math.max(MIN_AUDIT_PER_ORDER, (coldSeconds - AUDIT_SECONDS) / n);
    }

    double seconds(int n, int audits, int reads) {
        return SIZE_SECONDS + audits * AUDIT_SECONDS + n * perOrder(audits, reads);
    }

    /** The most orders that {@link #seconds} fits into {@code remaining}. */
    int fitting(int audits, int reads, double remaining) {
        return (int) Math.max(0, (remaining - SIZE_SECONDS - audits * AUDIT_SECONDS) / perOrder(audits, reads));
    }

    String describe(int audits, int reads) {
        return String.format(
                Locale.ROOT,
                "%.0f s + write %.2f ms per order, %d audits of %.1f s + %.2f ms per order, %d reads of %.2f ms per"
                        + " order",
                SIZE_SECONDS,
                writePerOrder * 1000,
                audits,
                AUDIT_SECONDS,
                auditPerOrder * 1000,
                reads,
                readPerOrder * 1000);
    }

    private double perOrder(int audits, int reads) {
        return writePerOrder + audits * auditPerOrder + reads * readPerOrder;
    }
}
