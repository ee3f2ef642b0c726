package com.databox.cmk.order;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where orders are kept, each within its tenant. Every write carries one history entry, and may carry
 * events for Logic Apps (the order's outbox), written with the order or not at all.
 */
public interface Orders {
    Optional<Order> find(OrderRef order);

    /**
     * The tenant's orders of these names that exist, in no particular order, each as {@link #find} reads it. A store
     * reads them together in a few queries, not one each: a page of the jobs listing reads its jobs' orders so (bug
     * bash pg1, F3). By default, one {@link #find} each.
     */
    default List<Order> findAll(TenantId tenant, Collection<OrderName> names) {
        return names.stream()
                .map(name -> find(new OrderRef(tenant, name)))
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * The history entry written with {@code order}'s version (each write stores one with the order, or neither),
     * found by the time the write stamped on both: not the history's newest row, which sorts by the writing
     * instance's clock (bug bash bb97 F1). Empty when none or more than one entry has that time.
     */
    Optional<HistoryEntry> changeThatMade(Order order);

    /** @throws OrderConflictException if the order exists in its tenant */
    Order create(Order order, HistoryEntry history);

    /** Replaces the order only if its stored ETag is still {@code order.etag()}. @throws StaleOrderException otherwise */
    default Order replace(Order order, HistoryEntry history) {
        return replace(order, history, List.of());
    }

    /**
     * As {@link #replace(Order, HistoryEntry)}, and puts {@code events} into the order's outbox in the same
     * transaction: a change is never stored without its events, nor an event without its change. The
     * outbox is relayed to the events queue afterwards (package {@code outbox}).
     */
    Order replace(Order order, HistoryEntry history, List<OrderEvent> events);

    /**
     * One page of at most {@code top} of the tenant's orders, starting after {@code continuation} (null for
     * the first); {@code tenant} null reads those of every tenant (the timer's audit), tenant by tenant.
     */
    OrderPage list(TenantId tenant, int top, String continuation);

    /**
     * The customer's listing: one page of at most {@code top} of the tenant's orders in name order,
     * those after {@code after} (null: from the first); the page's continuation is its last order's
     * name when more follow, null otherwise. Where a listing goes on is an order name the service
     * checks, never a store's continuation, which a client could forge and hand to the store.
     */
    OrderPage listAfter(TenantId tenant, int top, OrderName after);

    /**
     * As {@link #list(TenantId, int, String)}, and tells {@code nextPage} where the next page starts (null:
     * this page is the last) as soon as the store knows it, which may be before this page's orders are
     * read: the audit starts on the next page meanwhile. It is told once, on the thread that reads, and
     * must not block it.
     */
    default OrderPage list(TenantId tenant, int top, String continuation, Consumer<String> nextPage) {
        OrderPage page = list(tenant, top, continuation);
        nextPage.accept(page.continuation());
        return page;
    }

    /**
     * As {@link #list(TenantId, int, String, Consumer)}, but only what the permission audit reads of each
     * order ({@link OrderKeyState}): a store may read that much less of each. By default, the whole
     * orders' states.
     */
    default OrderKeyStatePage listKeyStates(TenantId tenant, int top, String continuation, Consumer<String> nextPage) {
        OrderPage page = list(tenant, top, continuation, nextPage);
        return new OrderKeyStatePage(page.orders().stream().map(Order::keyState).toList(), page.continuation());
    }

    /**
     * The tenant's orders whose names lie between {@code first} and {@code last}, both included, read page by page.
     * An order whose stored row cannot be read again is left out and handed to {@code unreadable}, with the
     * identities its row names ({@link UnreadableOrder#identities}), as it is read; a storage outage still fails.
     */
    Iterable<Order> listRange(TenantId tenant, OrderName first, OrderName last, Consumer<UnreadableOrder> unreadable);

    /**
     * Like {@link #list} but reads only the references: what the identity sweep needs to split the orders
     * up; {@code tenant} null reads those of every tenant, tenant by tenant.
     */
    OrderNamePage listNames(TenantId tenant, int top, String continuation);

    /**
     * How many of the tenant's orders hold a system-assigned identity ({@link Order#holdsIdentitiesAt}: active,
     * or finished less than {@code finishedOrderRetention} ago), counted up to {@code atMost}: the reading stops
     * there.
     */
    int countHoldingSystemAssigned(TenantId tenant, Instant now, Duration finishedOrderRetention, int atMost);
}
