package com.databox.cmk.outbox;

import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderRef;

/** An event in an order's outbox, not relayed yet; {@code etag} is its row's, for the conditional delete. */
public record PendingEvent(OrderRef order, OrderEvent event, String etag) {
    public CmkEvent toPublish() {
        return new CmkEvent(order, event);
    }
}
