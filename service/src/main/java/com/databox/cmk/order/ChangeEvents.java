package com.databox.cmk.order;

import java.util.List;

/** The events a change of an order carries into its outbox, from the order as read and as it is to be stored. */
@FunctionalInterface
public interface ChangeEvents {
    List<OrderEvent> of(Order before, Order after);

    ChangeEvents NONE = (before, after) -> List.of();
}
