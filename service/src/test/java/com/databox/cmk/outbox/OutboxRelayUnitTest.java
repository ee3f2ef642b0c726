package com.databox.cmk.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.testing.LoggedRecords;
import com.databox.cmk.testing.inmemory.InMemoryEvents;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** The outbox: events stored with their change, relayed at least once under the id they were written with. */
class OutboxRelayUnitTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final CustomerKey key = stack.customerKey();

    /** A queue that is down: every publish fails, as when the process dies before it. */
    private static final CmkEvents DOWN = event -> {
        throw new IllegalStateException("the events queue is down");
    };

    private OrderEvent lost() {
        return OrderEvent.accessLost(
                key.keyUrl(), ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled", stack.clock.instant());
    }

    private Order healthLost(Order order) {
        return order.withKeyHealth(
                KeyHealth.accessLost(ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled", stack.clock.instant()));
    }

    private HistoryEntry history() {
        return new HistoryEntry(stack.clock.instant(), "audit", "unit-test", "Key health -> AccessLost");
    }

    private static List<UUID> ids(InMemoryEvents events) {
        return events.published().stream().map(e -> e.event().id()).toList();
    }

    /**
     * A failed delivery of what an earlier release left behind names its message's URL, whose pop receipt is that
     * message's key: its warning keeps no query value (review rv19 F1).
     */
    @Test
    void aFailedDeliveryOfWhatWasLeftBehindLogsNoPopReceipt() {
        CmkEvents leftBehindFails = new CmkEvents() {
            @Override
            public void publish(CmkEvent event) {}

            @Override
            public int deliverLeftBehind(int max) {
                throw new IllegalStateException(
                        "DELETE https://acct.queue.core.windows.net/cmk-events/messages/1?popreceipt=SECRET-RECEIPT"
                                + " did not answer");
            }
        };
        OutboxRelay relay = new OutboxRelay(stack.orders, leftBehindFails, new OutboxSettings(10, 100));

        List<String> lines;
        try (LoggedRecords logged = LoggedRecords.capture(r -> r.getLoggerName().equals(OutboxRelay.class.getName()))) {
            relay.sweep();
            lines = logged.records().stream()
                    .map(r -> {
                        StringWriter written = new StringWriter();
                        if (r.getThrown() != null) {
                            r.getThrown().printStackTrace(new PrintWriter(written));
                        }
                        return ((ExtLogRecord) r).getFormattedMessage() + written;
                    })
                    .toList();
        }
        assertThat(lines).isNotEmpty().noneSatisfy(line -> assertThat(line).contains("SECRET-RECEIPT"));
    }

    @Test
    void aStaleChangeStoresNeitherTheOrderNorItsEvents() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.orders.replace(order, history());

        assertThatThrownBy(() -> stack.orders.replace(healthLost(order), history(), List.of(lost())))
                .isInstanceOf(StaleOrderException.class);
        assertThat(stack.orders.pending(order.ref())).isEmpty();
    }

    @Test
    void theRelayRightAfterTheChangePublishesItsEventsAndEmptiesTheOutbox() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        OrderEvent event = lost();

        new RelayingOrders(stack.orders, stack.relay()).replace(healthLost(order), history(), List.of(event));

        assertThat(stack.events.published()).containsExactly(new CmkEvent(order.ref(), event));
        assertThat(stack.orders.pendingEvents()).isEmpty();
    }

    @Test
    void aPublishThatFailsAfterTheChangeLeavesTheEventForTheSweepUnderItsId() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        OrderEvent event = lost();
        OutboxRelay dying = new OutboxRelay(stack.orders, DOWN, new OutboxSettings(10, 100));

        Order written = new RelayingOrders(stack.orders, dying).replace(healthLost(order), history(), List.of(event));

        assertThat(stack.stored(order.ref())).isEqualTo(written);
        assertThat(stack.events.published()).isEmpty();
        assertThat(stack.orders.pending(order.ref()))
                .extracting(PendingEvent::event)
                .containsExactly(event);

        SweepResult swept = stack.relay().sweep();

        assertThat(swept).isEqualTo(new SweepResult(1, 0, false));
        assertThat(ids(stack.events)).containsExactly(event.id());
        assertThat(stack.orders.pendingEvents()).isEmpty();
        assertThat(stack.relay().sweep()).isEqualTo(new SweepResult(0, 0, false));
        assertThat(ids(stack.events)).containsExactly(event.id());
    }

    /**
     * A change's relay publishes that change's events only. It took every pending row of the order, so two
     * changes made one right after the other could both publish the first one's events; what a failed relay
     * left is the sweep's, published once.
     */
    @Test
    void theRelayOfAChangePublishesItsOwnEventsAndLeavesTheRestToTheSweep() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        OrderEvent first = lost();
        OutboxRelay dying = new OutboxRelay(stack.orders, DOWN, new OutboxSettings(10, 100));
        Order written = new RelayingOrders(stack.orders, dying).replace(healthLost(order), history(), List.of(first));
        OrderEvent second = OrderEvent.accessRestored(key.keyUrl(), stack.clock.instant());

        new RelayingOrders(stack.orders, stack.relay())
                .replace(written.withKeyHealth(KeyHealth.healthy(stack.clock.instant())), history(), List.of(second));

        assertThat(ids(stack.events)).containsExactly(second.id());
        assertThat(stack.orders.pending(order.ref()))
                .extracting(PendingEvent::event)
                .containsExactly(first);
        assertThat(stack.relay().sweep()).isEqualTo(new SweepResult(1, 0, false));
        assertThat(ids(stack.events)).containsExactly(second.id(), first.id());
    }

    @Test
    void aDeleteThatFailsAfterThePublishPublishesTheEventAgainUnderTheSameId() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        OrderEvent event = lost();
        stack.orders.replace(healthLost(order), history(), List.of(event));
        AtomicInteger removals = new AtomicInteger();
        Outbox deleteFailsOnce = new Outbox() {
            @Override
            public List<PendingEvent> pending(OrderRef ref) {
                return stack.orders.pending(ref);
            }

            @Override
            public PendingEventPage pending(int top, String continuation) {
                return stack.orders.pending(top, continuation);
            }

            @Override
            public void remove(PendingEvent pending) {
                if (removals.incrementAndGet() == 1) {
                    throw new IllegalStateException("the table did not answer the delete");
                }
                stack.orders.remove(pending);
            }

            @Override
            public java.util.Optional<String> sweepPosition() {
                return stack.orders.sweepPosition();
            }

            @Override
            public void saveSweepPosition(String continuation) {
                stack.orders.saveSweepPosition(continuation);
            }
        };
        OutboxRelay relay = new OutboxRelay(deleteFailsOnce, stack.events, new OutboxSettings(10, 100));

        assertThat(relay.sweep()).isEqualTo(new SweepResult(0, 1, false));
        assertThat(relay.sweep()).isEqualTo(new SweepResult(1, 0, false));
        assertThat(relay.sweep()).isEqualTo(new SweepResult(0, 0, false));

        assertThat(ids(stack.events)).containsExactly(event.id(), event.id());
        assertThat(stack.orders.pendingEvents()).isEmpty();
    }

    @Test
    void aSweepStopsAtItsCapAndTheNextGoesOn() {
        List<Order> orders = List.of(
                stack.customerManagedOrder(key, key.keyUrl()),
                stack.customerManagedOrder(key, key.keyUrl()),
                stack.customerManagedOrder(key, key.keyUrl()));
        for (Order order : orders) {
            stack.orders.replace(healthLost(order), history(), List.of(lost(), lost()));
        }
        OutboxRelay relay = new OutboxRelay(stack.orders, stack.events, new OutboxSettings(2, 4));

        assertThat(relay.sweep()).isEqualTo(new SweepResult(4, 0, true));
        assertThat(stack.orders.pendingEvents()).hasSize(2);
        assertThat(relay.sweep()).isEqualTo(new SweepResult(2, 0, false));

        assertThat(ids(stack.events)).hasSize(6).doesNotHaveDuplicates();
        assertThat(stack.orders.pendingEvents()).isEmpty();
    }

    @Test
    void sweepsStoppedByTheirPageCapGoOnWhereTheLastStoppedAndReachALaterTenantsEvent() {
        // As Table Storage answers a range across partitions: a page per partition, empty ones included.
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        PendingEvent late = new PendingEvent(order.ref(), lost(), "W/\"1\"");
        int emptyPartitions = 10;
        List<PendingEvent> removed = new java.util.ArrayList<>();
        Outbox manyEmptyPartitions = new Outbox() {
            @Override
            public List<PendingEvent> pending(OrderRef ref) {
                return List.of();
            }

            @Override
            public PendingEventPage pending(int top, String continuation) {
                int partition = continuation == null ? 0 : Integer.parseInt(continuation);
                if (partition < emptyPartitions) {
                    return new PendingEventPage(List.of(), String.valueOf(partition + 1));
                }
                return new PendingEventPage(removed.isEmpty() ? List.of(late) : List.of(), null);
            }

            @Override
            public void remove(PendingEvent event) {
                removed.add(event);
            }

            private String position;

            @Override
            public java.util.Optional<String> sweepPosition() {
                return java.util.Optional.ofNullable(position);
            }

            @Override
            public void saveSweepPosition(String continuation) {
                position = continuation;
            }
        };
        OutboxRelay relay = new OutboxRelay(manyEmptyPartitions, stack.events, new OutboxSettings(10, 3));

        List<SweepResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // A new instance each time, as each scheduled sweep on AWS Lambda may be: it goes on from storage.
            OutboxRelay fresh =
                    i == 0 ? relay : new OutboxRelay(manyEmptyPartitions, stack.events, new OutboxSettings(10, 3));
            results.add(fresh.sweep());
        }

        assertThat(results).extracting(SweepResult::published).containsExactly(0, 0, 0, 1);
        assertThat(ids(stack.events)).containsExactly(late.event().id());
        assertThat(new OutboxRelay(manyEmptyPartitions, stack.events, new OutboxSettings(10, 3)).sweep())
                .as("from the beginning again, nothing left")
                .isEqualTo(new SweepResult(0, 0, true));
    }

    @Test
    void aSweepStopsAtTheFirstPublishThatFails() {
        Order first = stack.customerManagedOrder(key, key.keyUrl());
        Order second = stack.customerManagedOrder(key, key.keyUrl());
        stack.orders.replace(healthLost(first), history(), List.of(lost()));
        stack.orders.replace(healthLost(second), history(), List.of(lost()));

        assertThat(new OutboxRelay(stack.orders, DOWN, new OutboxSettings(10, 100)).sweep())
                .isEqualTo(new SweepResult(0, 1, false));
        assertThat(stack.orders.pendingEvents()).hasSize(2);
    }

    /** A sweep delivers what an earlier release left behind first, at most its cap; a failure there fails no sweep. */
    @Test
    void aSweepDeliversWhatAnEarlierReleaseLeftBehind() {
        java.util.List<Integer> asked = new java.util.ArrayList<>();
        CmkEvents leftBehind = new CmkEvents() {
            @Override
            public void publish(CmkEvent event) {}

            @Override
            public int deliverLeftBehind(int max) {
                asked.add(max);
                return 3;
            }
        };
        CmkEvents failing = new CmkEvents() {
            @Override
            public void publish(CmkEvent event) {}

            @Override
            public int deliverLeftBehind(int max) {
                throw new IllegalStateException("queue down");
            }
        };

        assertThat(new OutboxRelay(stack.orders, leftBehind, new OutboxSettings(10, 100)).sweep())
                .isEqualTo(new SweepResult(3, 0, false));
        assertThat(asked).containsExactly(100);
        assertThat(new OutboxRelay(stack.orders, failing, new OutboxSettings(10, 100)).sweep())
                .isEqualTo(new SweepResult(0, 0, false));
    }
}
