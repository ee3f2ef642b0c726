package com.databox.cmk.testing.inmemory;

import com.databox.cmk.error.UnconfirmedWriteException;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderConflictException;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.order.OrderKeyStatePage;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderNamePage;
import com.databox.cmk.order.OrderPage;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UnreadableOrder;
import com.databox.cmk.outbox.Outbox;
import com.databox.cmk.outbox.PendingEvent;
import com.databox.cmk.outbox.PendingEventPage;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Orders in memory with the store's contract: a new ETag on every write, a replace refused
 * when the ETag is stale, names unique per tenant and in order (tenant, then name), one
 * history entry per write, and the write's events in the order's outbox, stored with it or not at all.
 */
public final class InMemoryOrders implements Orders, Outbox {
    /** Keyed "{tenant} {name}": sorts by tenant, then name, as the table's partition and row keys do. */
    private final NavigableMap<String, Order> orders = new ConcurrentSkipListMap<>();

    private final Map<String, List<HistoryEntry>> history = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();
    /** Keyed "{tenant} {name} {time} {id}", oldest first within an order, as the table's outbox rows. */
    private final NavigableMap<String, PendingEvent> outbox = new ConcurrentSkipListMap<>();

    private final AtomicInteger pointReads = new AtomicInteger();
    private final AtomicInteger pageReads = new AtomicInteger();
    private volatile Runnable pageParsing = () -> {};
    private final AtomicInteger rangeReads = new AtomicInteger();
    private final AtomicInteger namedReads = new AtomicInteger();
    private final AtomicInteger nameReads = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile boolean loseNextAnswer;
    private volatile Runnable beforeNextCreate;
    private volatile Runnable afterNextWrite;
    private volatile Runnable afterNextRead;
    private volatile RuntimeException failNextWrite;

    private static String key(OrderRef ref) {
        return ref.tenant().value() + " " + ref.name().value();
    }

    @Override
    public Optional<Order> find(OrderRef ref) {
        pointReads.incrementAndGet();
        Optional<Order> found = Optional.ofNullable(orders.get(key(ref)));
        Runnable after = afterNextRead;
        afterNextRead = null;
        if (after != null) {
            after.run();
        }
        return found;
    }

    @Override
    public List<Order> findAll(TenantId tenant, Collection<OrderName> names) {
        namedReads.incrementAndGet();
        return names.stream()
                .map(name -> orders.get(key(new OrderRef(tenant, name))))
                .filter(Objects::nonNull)
                .toList();
    }

    @Override
    public synchronized Order create(Order order, HistoryEntry entry) {
        Runnable before = beforeNextCreate;
        beforeNextCreate = null;
        if (before != null) {
            before.run();
        }
        if (orders.containsKey(key(order.ref()))) {
            throw new OrderConflictException(order.name());
        }
        return write(order, entry);
    }

    @Override
    public synchronized Order replace(Order order, HistoryEntry entry, List<OrderEvent> events) {
        Order stored = orders.get(key(order.ref()));
        if (stored == null || !stored.etag().equals(order.etag())) {
            throw new StaleOrderException(order.name());
        }
        for (OrderEvent event : events) {
            outbox.put(
                    outboxKey(order.ref(), event),
                    new PendingEvent(order.ref(), event, "W/\"" + versions.incrementAndGet() + "\""));
        }
        return write(order, entry);
    }

    private static String outboxKey(OrderRef ref, OrderEvent event) {
        return key(ref) + " " + String.format(Locale.ROOT, "%019d", event.time().toEpochMilli()) + " " + event.id();
    }

    @Override
    public List<PendingEvent> pending(OrderRef order) {
        return List.copyOf(outbox.subMap(key(order) + " ", key(order) + "~").values());
    }

    /** The continuation is the last key read, as the table's is an opaque position. */
    @Override
    public PendingEventPage pending(int top, String continuation) {
        NavigableMap<String, PendingEvent> rest = continuation == null ? outbox : outbox.tailMap(continuation, false);
        List<String> keys = rest.keySet().stream().limit(top).toList();
        List<PendingEvent> page = keys.stream().map(rest::get).toList();
        boolean more = !keys.isEmpty() && outbox.higherKey(keys.getLast()) != null;
        return new PendingEventPage(page, more ? keys.getLast() : null);
    }

    @Override
    public void remove(PendingEvent event) {
        outbox.remove(outboxKey(event.order(), event.event()), event);
    }

    /** Every event not relayed yet, oldest first per order. */
    public List<PendingEvent> pendingEvents() {
        return List.copyOf(outbox.values());
    }

    private Order write(Order order, HistoryEntry entry) {
        RuntimeException failure = failNextWrite;
        failNextWrite = null;
        if (failure != null) {
            throw failure;
        }
        writes.incrementAndGet();
        Order written = order.stored(entry.at(), "W/\"" + versions.incrementAndGet() + "\"");
        orders.put(key(order.ref()), written);
        history.computeIfAbsent(key(order.ref()), n -> new CopyOnWriteArrayList<>())
                .add(entry);
        Runnable after = afterNextWrite;
        afterNextWrite = null;
        if (after != null) {
            after.run();
        }
        if (loseNextAnswer) {
            loseNextAnswer = false;
            throw new UnconfirmedWriteException("the order '" + order.name() + "'", Duration.ofSeconds(5), null);
        }
        return written;
    }

    /** Another request's doing, just before the next order is created: a race lost by the creation. */
    public void beforeNextCreate(Runnable race) {
        beforeNextCreate = race;
    }

    /** The next write is refused with {@code failure}, nothing stored. */
    public void failNextWrite(RuntimeException failure) {
        failNextWrite = failure;
    }

    /** Another request's doing, just after the next order is read (before its answer): the read is stale. */
    public void afterNextRead(Runnable race) {
        afterNextRead = race;
    }

    /** Another request's doing, just after the next write is stored (before its answer). */
    public void afterNextWrite(Runnable race) {
        afterNextWrite = race;
    }

    /** The next write is stored, and the storage stops answering before it says so, and after. */
    public void storeNextWriteUnconfirmed() {
        loseNextAnswer = true;
    }

    /** Orders read one by one ({@link #find}), as a table's point reads. */
    public int pointReads() {
        return pointReads.get();
    }

    /** Pages of orders ({@link #list}), each one paged query of the table. */
    public int pageReads() {
        return pageReads.get();
    }

    /** Reads of orders by their names together ({@link #findAll}), each a few queries of the table. */
    public int namedReads() {
        return namedReads.get();
    }

    /** Range queries ({@link #listRange}), each one paged query of the table. */
    public int rangeReads() {
        return rangeReads.get();
    }

    /** Pages of order names ({@link #listNames}), each one paged query of the table. */
    public int nameReads() {
        return nameReads.get();
    }

    /** Orders created or replaced (not {@link #put}), each one table transaction. */
    public int writes() {
        return writes.get();
    }

    /** Puts an order as it is, as a test's given state (no history, a fresh ETag). */
    public Order put(Order order) {
        Order written = order.stored(order.updatedAt(), "W/\"" + versions.incrementAndGet() + "\"");
        orders.put(key(order.ref()), written);
        return written;
    }

    @Override
    public Optional<HistoryEntry> changeThatMade(Order order) {
        List<HistoryEntry> made = history.getOrDefault(key(order.ref()), List.of()).stream()
                .filter(entry -> entry.at().equals(order.updatedAt()))
                .toList();
        return made.size() == 1 ? Optional.of(made.get(0)) : Optional.empty();
    }

    public List<HistoryEntry> history(OrderRef ref) {
        return List.copyOf(history.getOrDefault(key(ref), List.of()));
    }

    /**
     * As Table Storage does: where the next page starts is told from the answer's headers, then the
     * page is parsed, which here takes as long as {@code parsing} (a test's stand-in for that work).
     */
    @Override
    public OrderPage list(TenantId tenant, int top, String continuation, Consumer<String> nextPage) {
        OrderPage page = list(tenant, top, continuation);
        nextPage.accept(page.continuation());
        pageParsing.run();
        return page;
    }

    /**
     * Orders whose stored rows a test damaged, by key, and the damaged column: as TableOrders, left out of key states
     * and ranges.
     */
    private final Map<String, String> damaged = new ConcurrentHashMap<>();

    /** Damages the order's stored {@code column}, as a hand edit might: its key state can no longer be read. */
    public void damage(OrderRef order, String column) {
        damaged.put(key(order), column);
    }

    @Override
    public OrderKeyStatePage listKeyStates(TenantId tenant, int top, String continuation, Consumer<String> nextPage) {
        OrderPage page = list(tenant, top, continuation, nextPage);
        List<OrderKeyState> states = new ArrayList<>();
        List<UnreadableOrder> unreadable = new ArrayList<>();
        for (Order order : page.orders()) {
            String column = damaged.get(key(order.ref()));
            if (column == null) {
                states.add(order.keyState());
            } else {
                unreadable.add(new UnreadableOrder(order.ref(), column));
            }
        }
        return new OrderKeyStatePage(states, unreadable, page.continuation());
    }

    /** What a page's parsing does after the next page's start was told: nothing unless a test says. */
    public void parsePagesWith(Runnable parsing) {
        pageParsing = parsing;
    }

    @Override
    public OrderPage list(TenantId tenant, int top, String continuation) {
        pageReads.incrementAndGet();
        List<Order> page = new ArrayList<>(
                after(tenant, continuation).values().stream().limit(top).toList());
        return new OrderPage(
                page,
                next(
                        tenant,
                        page.size(),
                        top,
                        page.isEmpty() ? null : key(page.getLast().ref())));
    }

    /** As TableOrders: the continuation is the last order's name, and only when more orders follow. */
    @Override
    public OrderPage listAfter(TenantId tenant, int top, OrderName after) {
        pageReads.incrementAndGet();
        List<Order> following = after(tenant, after == null ? null : key(new OrderRef(tenant, after))).values().stream()
                .limit(top + 1L)
                .toList();
        if (following.size() <= top) {
            return new OrderPage(following, null);
        }
        List<Order> page = following.subList(0, top);
        return new OrderPage(List.copyOf(page), page.getLast().ref().name().value());
    }

    private volatile String sweepPosition;

    @Override
    public Optional<String> sweepPosition() {
        return Optional.ofNullable(sweepPosition);
    }

    @Override
    public void saveSweepPosition(String continuation) {
        sweepPosition = continuation;
    }

    @Override
    public Iterable<Order> listRange(
            TenantId tenant, OrderName first, OrderName last, Consumer<UnreadableOrder> unreadable) {
        rangeReads.incrementAndGet();
        List<Order> readable = new ArrayList<>();
        for (Order order : orders.subMap(key(new OrderRef(tenant, first)), true, key(new OrderRef(tenant, last)), true)
                .values()) {
            String column = damaged.get(key(order.ref()));
            if (column == null) {
                readable.add(order);
            } else {
                unreadable.accept(new UnreadableOrder(order.ref(), column, namedIdentities(order, column)));
            }
        }
        return readable;
    }

    /** As TableOrders reads a damaged row's identities: unknown when the damaged column is one that names one. */
    private static Optional<Set<UserAssignedIdentityId>> namedIdentities(Order order, String damagedColumn) {
        if (damagedColumn.matches("SystemResourceId|KekUserAssignedResourceId|User[0-9]+ResourceId")) {
            return Optional.empty();
        }
        Set<UserAssignedIdentityId> named = new HashSet<>(order.identity().userAssignedIds());
        order.identity().serviceCreatedId().ifPresent(named::add);
        return Optional.of(named);
    }

    @Override
    public OrderNamePage listNames(TenantId tenant, int top, String continuation) {
        nameReads.incrementAndGet();
        List<OrderRef> names = after(tenant, continuation).values().stream()
                .limit(top)
                .map(Order::ref)
                .toList();
        return new OrderNamePage(names, next(tenant, names.size(), top, names.isEmpty() ? null : key(names.getLast())));
    }

    @Override
    public int countHoldingSystemAssigned(TenantId tenant, Instant now, Duration finishedOrderRetention, int atMost) {
        return (int) Math.min(
                atMost,
                after(tenant, null).values().stream()
                        .filter(o -> o.identity().systemAssigned() != null
                                && o.holdsIdentitiesAt(now, finishedOrderRetention))
                        .count());
    }

    private NavigableMap<String, Order> after(TenantId tenant, String continuation) {
        NavigableMap<String, Order> scope =
                tenant == null ? orders : orders.subMap(tenant.value() + " ", true, tenant.value() + "~", false);
        return continuation == null ? scope : scope.tailMap(continuation, false);
    }

    private String next(TenantId tenant, int size, int top, String lastKey) {
        return size == top && after(tenant, lastKey).firstEntry() != null ? lastKey : null;
    }
}
