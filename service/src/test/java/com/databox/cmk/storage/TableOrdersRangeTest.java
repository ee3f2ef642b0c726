package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** A slice of the identity sweep's orders in one range query on Azurite's table: its names only, of its tenant only. */
class TableOrdersRangeTest {
    private final TableOrders orders = new TableOrders(new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName("ordersrange")
            .buildClient());
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());
    private final TenantId otherTenant = new TenantId(UUID.randomUUID().toString());

    private void create(TenantId in, String name) {
        Instant now = Instant.now();
        orders.create(
                StoredOrderDrafts.draft(new OrderRef(in, new OrderName(name)), now),
                new HistoryEntry(now, "create", "test", "range"));
    }

    private List<String> range(String first, String last) {
        return StreamSupport.stream(
                        orders.listRange(tenant, new OrderName(first), new OrderName(last), damaged -> {
                                    throw new AssertionError("no row is damaged: " + damaged);
                                })
                                .spliterator(),
                        false)
                .map(order -> order.name().value())
                .toList();
    }

    @Test
    void readsTheOrdersBetweenTwoNamesBothIncludedWithoutTheirHistoryOrOtherTenants() {
        for (String name : List.of("range-a", "range-b", "range-c", "range-d", "range-e")) {
            create(tenant, name);
        }
        create(otherTenant, "range-c2");
        assertThat(range("range-b", "range-d")).containsExactly("range-b", "range-c", "range-d");
        assertThat(range("range-e", "range-e")).containsExactly("range-e");
        assertThat(range("range-f", "range-z")).isEmpty();
    }
}
