package com.databox.cmk.outbox;

import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderKeyStatePage;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderNamePage;
import com.databox.cmk.order.OrderPage;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UnreadableOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The orders, with a change's events relayed as soon as the change is stored, so that Logic Apps hear of
 * it within the request. The change is stored either way: a relay that fails is logged, and the outbox
 * sweep publishes what it left.
 */
public final class RelayingOrders implements Orders {
    private static final Logger LOG = Logger.getLogger(RelayingOrders.class);

    private final Orders orders;
    private final OutboxRelay relay;

    public RelayingOrders(Orders orders, OutboxRelay relay) {
        this.orders = orders;
        this.relay = relay;
    }

    @Override
    public Order replace(Order order, HistoryEntry history, List<OrderEvent> events) {
        Order written = orders.replace(order, history, events);
        if (!events.isEmpty()) {
            try {
                relay.relay(order.ref(), events);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Relaying the events of order %s failed; the outbox sweep publishes them", order.name());
            }
        }
        return written;
    }

    @Override
    public Optional<Order> find(OrderRef order) {
        return orders.find(order);
    }

    @Override
    public List<Order> findAll(TenantId tenant, Collection<OrderName> names) {
        return orders.findAll(tenant, names);
    }

    @Override
    public Optional<HistoryEntry> changeThatMade(Order order) {
        return orders.changeThatMade(order);
    }

    @Override
    public Order create(Order order, HistoryEntry history) {
        return orders.create(order, history);
    }

    @Override
    public OrderPage list(TenantId tenant, int top, String continuation) {
        return orders.list(tenant, top, continuation);
    }

    @Override
    public OrderPage listAfter(TenantId tenant, int top, OrderName after) {
        return orders.listAfter(tenant, top, after);
    }

    @Override
    public OrderPage list(TenantId tenant, int top, String continuation, Consumer<String> nextPage) {
        return orders.list(tenant, top, continuation, nextPage);
    }

    @Override
    public OrderKeyStatePage listKeyStates(TenantId tenant, int top, String continuation, Consumer<String> nextPage) {
        return orders.listKeyStates(tenant, top, continuation, nextPage);
    }

    @Override
    public Iterable<Order> listRange(
            TenantId tenant, OrderName first, OrderName last, Consumer<UnreadableOrder> unreadable) {
        return orders.listRange(tenant, first, last, unreadable);
    }

    @Override
    public OrderNamePage listNames(TenantId tenant, int top, String continuation) {
        return orders.listNames(tenant, top, continuation);
    }

    @Override
    public int countHoldingSystemAssigned(TenantId tenant, Instant now, Duration finishedOrderRetention, int atMost) {
        return orders.countHoldingSystemAssigned(tenant, now, finishedOrderRetention, atMost);
    }
}
