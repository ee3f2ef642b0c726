package com.databox.cmk.order;

import java.util.Optional;

/** Where orders are kept. Every write carries one history entry, written with the order or not at all. */
public interface Orders {
    Optional<Order> find(OrderName name);

    /** @throws OrderConflictException if the order exists */
    Order create(Order order, HistoryEntry history);

    /** Replaces the order only if its stored ETag is still {@code order.etag()}. @throws StaleOrderException otherwise */
    Order replace(Order order, HistoryEntry history);

    /** One page of at most {@code top} orders, starting after {@code continuation} (null for the first). */
    OrderPage list(int top, String continuation);

    /** The orders whose names lie between {@code first} and {@code last}, both included, read page by page. */
    Iterable<Order> listRange(OrderName first, OrderName last);

    /** Like {@link #list} but reads only the names: what an audit needs to split the orders up. */
    OrderNamePage listNames(int top, String continuation);
}
