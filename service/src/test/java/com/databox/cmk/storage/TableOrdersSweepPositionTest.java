package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Where the outbox sweep stopped, kept in the orders' table for every instance: read back as written,
 * cleared when the sweep reached the end, and read by no listing of orders or of the outbox.
 */
class TableOrdersSweepPositionTest {
    private final TableOrders orders = new TableOrders(new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName("orderssweep" + UUID.randomUUID().toString().substring(0, 8))
            .buildClient());

    @Test
    void theSweepPositionIsKeptClearedAndListedNowhere() {
        TenantId tenant = new TenantId(UUID.randomUUID().toString());
        Instant now = Instant.now();
        orders.create(
                StoredOrderDrafts.draft(new OrderRef(tenant, new OrderName("swept-1")), now),
                new HistoryEntry(now, "create", "test", "sweep position"));
        assertThat(orders.sweepPosition()).isEmpty();

        orders.saveSweepPosition("1!8!dGVuYW50;1!12!b3JkZXI-");
        assertThat(orders.sweepPosition()).contains("1!8!dGVuYW50;1!12!b3JkZXI-");
        assertThat(orders.list(null, 100, null).orders())
                .extracting(order -> order.name().value())
                .containsExactly("swept-1");
        assertThat(orders.pending(100, null).events()).isEmpty();

        orders.saveSweepPosition(null);
        assertThat(orders.sweepPosition()).isEmpty();
        orders.saveSweepPosition(null);
    }
}
