package com.databox.cmk.audit;

import com.databox.cmk.order.ChangeEvents;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.StaleOrderException;
import java.time.Clock;
import java.time.Instant;

/**
 * Records what the audit found for one order: a finding when access is lost, the order's key
 * health when it changed, and an event when access is lost or regained, written with the health in
 * the order's outbox. The audit read only the order's key state: a change is written to the whole
 * order, read again and written only while its ETag is still the one the audit judged.
 */
public final class HealthRecorder {
    static final String ACTOR = "permission-audit";

    private final Orders orders;
    private final AuditRuns runs;
    private final Clock clock;

    public HealthRecorder(Orders orders, AuditRuns runs, Clock clock) {
        this.orders = orders;
        this.runs = runs;
        this.clock = clock;
    }

    /**
     * @return the order's key health as this run leaves it: the verdict's, or the order's own when it
     *     was checked after the verdict was proven (a validate or a key change meanwhile)
     */
    public KeyHealth.Status record(String runId, OrderKeyState order, PairCheck check) {
        KeyHealth before = order.keyHealth();
        if (check.olderThan(before)) {
            if (before.status() == KeyHealth.Status.AccessLost && before.errorCode() != null) {
                unchangedSince(order);
                recordFinding(runId, order, new PairCheck(before.errorCode(), before.message()));
            }
            return before.status();
        }
        KeyHealth.Status status = check.healthy() ? KeyHealth.Status.Healthy : KeyHealth.Status.AccessLost;
        boolean changed = !before.sameVerdictAs(status, check.errorCode()) || before.lastCheckedAt() == null;
        if (changed) {
            Instant now = clock.instant();
            Order judged = unchangedSince(order);
            Order checked = judged.withKeyHealth(new KeyHealth(status, check.errorCode(), check.message(), now));
            orders.replace(
                    checked,
                    new HistoryEntry(
                            now,
                            "audit",
                            ACTOR,
                            "Key health " + before.status() + " -> " + status
                                    + (check.errorCode() == null ? "" : " (" + check.errorCode() + ")")),
                    ChangeEvents.KEY_HEALTH.of(judged, checked));
        } else if (!check.healthy()) {
            // Nothing written, so no write found a change meanwhile: a finding only of the order as judged (bug
            // bash of 2026-12-06, races F3: the customer's fix while it was audited was reported as lost access).
            unchangedSince(order);
        }
        // After the write: a verdict on an order changed meanwhile is no finding of this run.
        if (!check.healthy()) {
            recordFinding(runId, order, check);
        }
        return status;
    }

    private void recordFinding(String runId, OrderKeyState order, PairCheck check) {
        runs.recordFinding(
                runId,
                new Finding(
                        order.ref().tenant(),
                        order.name(),
                        check.errorCode(),
                        check.message(),
                        check.resolutionText()));
    }

    /** The whole order, as the audit judged it: changed or gone since, it is not written (the next run judges it). */
    private Order unchangedSince(OrderKeyState judged) {
        return orders.find(judged.ref())
                .filter(order -> order.etag() != null && order.etag().equals(judged.etag()))
                .orElseThrow(() -> new StaleOrderException(judged.name()));
    }
}
