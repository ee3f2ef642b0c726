package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.outbox.PendingEvent;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An outbox row this build cannot read (a type a newer build wrote, before a roll-back) holds up no
 * other event: it is left in place, and the rows beside it are relayed.
 */
class UnreadableOutboxRowTest {
    private final TableClient table = new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName("ordersoutbox" + UUID.randomUUID().toString().substring(0, 8))
            .buildClient();
    private final TableOrders orders = new TableOrders(table);

    @Test
    void aRowOfAnUnknownTypeIsSkippedAndTheOthersRead() {
        table.createTable();
        OrderRef order = new OrderRef(new TenantId(UUID.randomUUID().toString()), new OrderName("outboxed-1"));
        Instant now = Instant.now();
        OrderEvent first = OrderEvent.accessRestored("https://v.vault.azure.net/keys/k/1", now);
        OrderEvent unreadable = OrderEvent.accessRestored("https://v.vault.azure.net/keys/k/1", now.plusMillis(1));
        OrderEvent last = OrderEvent.accessRestored("https://v.vault.azure.net/keys/k/1", now.plusMillis(2));
        table.createEntity(OrderEntityMapper.toEntity(order, first));
        TableEntity future = OrderEntityMapper.toEntity(order, unreadable);
        future.addProperty("Type", "KeyAccessTeleported");
        table.createEntity(future);
        table.createEntity(OrderEntityMapper.toEntity(order, last));

        assertThat(orders.pending(100, null).events())
                .extracting(PendingEvent::event)
                .extracting(OrderEvent::id)
                .containsExactly(first.id(), last.id());
        assertThat(orders.pending(order))
                .extracting(PendingEvent::event)
                .extracting(OrderEvent::id)
                .containsExactly(first.id(), last.id());
        assertThat(table.getEntity(future.getPartitionKey(), future.getRowKey()))
                .as("left in place")
                .isNotNull();
    }
}
