package com.databox.cmk.outbox;

import com.databox.cmk.order.OrderRef;
import java.util.List;
import java.util.Optional;

/**
 * The events that {@link com.databox.cmk.order.Orders#replace(com.databox.cmk.order.Order,
 * com.databox.cmk.order.HistoryEntry, List)} wrote beside the orders and that are not relayed yet.
 */
public interface Outbox {
    /** The order's pending events, oldest first. */
    List<PendingEvent> pending(OrderRef order);

    /** At most {@code top} pending events of any tenant, after {@code continuation} (null for the first page). */
    PendingEventPage pending(int top, String continuation);

    /**
     * Deletes the relayed event if its row is still {@code event.etag()}. A row already gone (another
     * relay took it) is no error: its event was published.
     */
    void remove(PendingEvent event);

    /**
     * Where a sweep stopped at its cap, as {@link #saveSweepPosition} kept it for every instance (a new
     * one, as each AWS Lambda invocation may be, goes on from there); empty: from the beginning.
     */
    Optional<String> sweepPosition();

    /** Keeps where the sweep stopped; null: it reached the end, the next starts from the beginning. */
    void saveSweepPosition(String continuation);
}
