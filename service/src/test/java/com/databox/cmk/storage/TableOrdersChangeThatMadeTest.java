package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The history entry written with an order's version, on Azurite: found by the time the write stamped on both, not by
 * which history row sorts first, since rows sort by the writing instance's clock (bug bash bb97 F1: a change written
 * after a Resume by an instance whose clock was behind, or in the same millisecond, was taken for the Resume).
 */
class TableOrdersChangeThatMadeTest {
    private final TableOrders orders = new TableOrders(new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName("orderschanges")
            .buildClient());
    private final OrderRef ref = new OrderRef(new TenantId(UUID.randomUUID().toString()), new OrderName("changes-1"));
    private final Instant resumedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private Order created() {
        Instant at = resumedAt.minusSeconds(60);
        return orders.create(StoredOrderDrafts.draft(ref, at), new HistoryEntry(at, "create", "test", "created"));
    }

    private Order written(Order order, Instant at, String action) {
        return orders.replace(order, new HistoryEntry(at, action, "test", action));
    }

    @Test
    void theEntryOfTheVersionIsFoundWhateverTheClockOfTheWriteAfterIt() {
        Order resumed = written(created(), resumedAt, "mitigate");
        assertThat(orders.changeThatMade(orders.find(ref).orElseThrow()))
                .map(HistoryEntry::action)
                .contains("mitigate");

        // A later write from an instance whose clock is a millisecond behind: its row sorts after the Resume's.
        Order changed = written(resumed, resumedAt.minusMillis(1), "stage");
        assertThat(orders.changeThatMade(orders.find(ref).orElseThrow()))
                .map(HistoryEntry::action)
                .contains("stage");

        // And one in the same millisecond as the Resume, whose row sorts at random beside it.
        written(changed, resumedAt.plus(3, ChronoUnit.MICROS), "change-key");
        assertThat(orders.changeThatMade(orders.find(ref).orElseThrow()))
                .map(HistoryEntry::action)
                .contains("change-key");
    }

    /** A row without UpdatedAt (Order.holdsIdentities reads such rows too) was made by no change it can name. */
    @Test
    void anOrderWithoutItsTimeWasMadeByNoChangeItCanName() {
        Order created = created();
        assertThat(orders.changeThatMade(created.stored(null, created.etag()))).isEmpty();
    }
}
