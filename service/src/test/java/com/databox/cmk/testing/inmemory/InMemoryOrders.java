package com.databox.cmk.testing.inmemory;

import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderConflictException;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderNamePage;
import com.databox.cmk.order.OrderPage;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.StaleOrderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders in memory with the store's contract: a new ETag on every write, a replace refused
 * when the ETag is stale, names in order, and one history entry per write.
 */
public final class InMemoryOrders implements Orders {
    private final NavigableMap<String, Order> orders = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, List<HistoryEntry>> history = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public Optional<Order> find(OrderName name) {
        return Optional.ofNullable(orders.get(name.value()));
    }

    @Override
    public synchronized Order create(Order order, HistoryEntry entry) {
        if (orders.containsKey(order.name().value())) {
            throw new OrderConflictException(order.name());
        }
        return write(order, entry);
    }

    @Override
    public synchronized Order replace(Order order, HistoryEntry entry) {
        Order stored = orders.get(order.name().value());
        if (stored == null || !stored.etag().equals(order.etag())) {
            throw new StaleOrderException(order.name());
        }
        return write(order, entry);
    }

    private Order write(Order order, HistoryEntry entry) {
        Order written = order.stored(entry.at(), "W/\"" + versions.incrementAndGet() + "\"");
        orders.put(order.name().value(), written);
        history.computeIfAbsent(order.name().value(), n -> new CopyOnWriteArrayList<>())
                .add(entry);
        return written;
    }

    /** Puts an order as it is, as a test's given state (no history, a fresh ETag). */
    public Order put(Order order) {
        Order written = order.stored(order.updatedAt(), "W/\"" + versions.incrementAndGet() + "\"");
        orders.put(order.name().value(), written);
        return written;
    }

    public List<HistoryEntry> history(OrderName name) {
        return List.copyOf(history.getOrDefault(name.value(), List.of()));
    }

    @Override
    public OrderPage list(int top, String continuation) {
        List<Order> page =
                new ArrayList<>(after(continuation).values().stream().limit(top).toList());
        return new OrderPage(
                page,
                next(
                        page.size(),
                        top,
                        page.isEmpty() ? null : page.getLast().name().value()));
    }

    @Override
    public Iterable<Order> listRange(OrderName first, OrderName last) {
        return List.copyOf(
                orders.subMap(first.value(), true, last.value(), true).values());
    }

    @Override
    public OrderNamePage listNames(int top, String continuation) {
        List<OrderName> names = after(continuation).values().stream()
                .limit(top)
                .map(Order::name)
                .toList();
        return new OrderNamePage(
                names,
                next(names.size(), top, names.isEmpty() ? null : names.getLast().value()));
    }

    private NavigableMap<String, Order> after(String continuation) {
        return continuation == null ? orders : orders.tailMap(continuation, false);
    }

    private String next(int size, int top, String lastName) {
        return size == top && orders.higherKey(lastName) != null ? lastName : null;
    }
}
