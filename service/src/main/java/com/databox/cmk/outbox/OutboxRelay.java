package com.databox.cmk.outbox;

import com.databox.cmk.error.FailuresInLog;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderRef;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Moves events from the outbox to the events queue: publish, then delete the row. A crash or a failed
 * delete after the publish leaves the row, and the next relay publishes it again under the same id: delivery
 * is at least once, and subscribers drop an id they have seen (API.md, "Audit report and events").
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final CmkEvents events;
    private final OutboxSettings settings;
    /** Where the last sweep stopped at its cap; null: from the beginning. */
    private volatile String resumeFrom;

    public OutboxRelay(Outbox outbox, CmkEvents events, OutboxSettings settings) {
        this.outbox = outbox;
        this.events = events;
        this.settings = settings;
    }

    /**
     * The events of one change of the order, oldest first, right after the change was stored. Only those: two
     * changes of one order made one right after the other each read the order's pending rows, and a relay that
     * took every row published the first change's events a second time when it read them before the first
     * relay had removed them. What an earlier relay left (a publish that failed) is the sweep's.
     *
     * @return how many were published; a failure propagates and leaves the rest for the sweep
     */
    public int relay(OrderRef order, Collection<OrderEvent> changeEvents) {
        Set<UUID> ids = changeEvents.stream().map(OrderEvent::id).collect(Collectors.toSet());
        int published = 0;
        for (PendingEvent pending : outbox.pending(order)) {
            if (ids.contains(pending.event().id())) {
                publishThenRemove(pending);
                published++;
            }
        }
        return published;
    }

    /**
     * What earlier relays left, page by page, across tenants, until the outbox is empty, a publish fails (the
     * queue is likely down: the next sweep tries again) or the sweep reaches its cap: at most
     * {@code maxPerSweep} events and as many page reads, so that one run stays short whatever the backlog.
     * A sweep stopped by its cap leaves where it stopped, and the next one goes on from there: Table Storage
     * may answer a page per partition, most of them empty, so a sweep starting over each time would read the
     * same first partitions forever and never reach a later tenant's events. Where it stopped is kept in this
     * instance and in storage: a new instance (on AWS Lambda each scheduled sweep may be one) goes on from
     * where the last sweep of any instance stopped, instead of starting over.
     */
    public SweepResult sweep() {
        int published = leftBehindDelivered();
        if (published >= settings.maxPerSweep()) {
            return new SweepResult(published, 0, true);
        }
        int pages = 0;
        String started = resumeFrom != null ? resumeFrom : stored();
        String continuation = started;
        do {
            String thisPage = continuation;
            int room = settings.maxPerSweep() - published;
            PendingEventPage page = outbox.pending(Math.min(settings.pageSize(), room), continuation);
            pages++;
            for (PendingEvent pending : page.events()) {
                try {
                    publishThenRemove(pending);
                    published++;
                } catch (RuntimeException e) {
                    LOG.warnf(
                            e,
                            "Relaying event %s of order %s failed; the next sweep tries again",
                            pending.event().id(),
                            pending.order().name());
                    keep(started, thisPage);
                    return new SweepResult(published, 1, false);
                }
            }
            continuation = page.continuation();
        } while (continuation != null && published < settings.maxPerSweep() && pages < settings.maxPerSweep());
        keep(started, continuation);
        return new SweepResult(published, 0, continuation != null);
    }

    /** A failure there fails no sweep of the outbox: the next sweep tries again. */
    private int leftBehindDelivered() {
        try {
            return events.deliverLeftBehind(settings.maxPerSweep());
        } catch (RuntimeException e) {
            // Trimmed: a delete's failure names its message's URL, whose pop receipt is that message's key (review rv19
            // F1).
            LOG.warnf(
                    FailuresInLog.trimmed(e),
                    "Delivering the events an earlier release left behind failed; the next sweep tries again");
            return 0;
        }
    }

    /** The position another instance's sweep kept; none when storage does not answer it (from the beginning). */
    private String stored() {
        try {
            return outbox.sweepPosition().orElse(null);
        } catch (RuntimeException e) {
            LOG.debugf(e, "Reading where the last sweep stopped failed; sweeping from the beginning");
            return null;
        }
    }

    /** Where the next sweep starts, here and for every instance; written only when it moved. */
    private void keep(String started, String next) {
        resumeFrom = next;
        if (java.util.Objects.equals(started, next)) {
            return;
        }
        try {
            outbox.saveSweepPosition(next);
        } catch (RuntimeException e) {
            LOG.debugf(e, "Keeping where the sweep stopped failed; this instance still goes on from there");
        }
    }

    private void publishThenRemove(PendingEvent pending) {
        events.publish(pending.toPublish());
        outbox.remove(pending);
    }
}
