package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Review rv14 F1: a page of the jobs listing whose orders are a small share of the tenant's (a resource group of a
 * tenant with many jobs) read, through {@link TableOrders#findAll}'s first version, every order row between its first
 * and last order while each 1,000-row page held 12 of them: up to about 83 rows read and parsed for each order found.
 * Filters of names read only the orders asked for.
 */
class TableOrdersFindAllRowsReadTest {
    private final TableQueries queries = new TableQueries();
    private final TableClient table =
            Azurite.shared().newTable("rv14rows").addPolicy(queries).buildClient();
    private final TableOrders orders = new TableOrders(table);
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());

    @Test
    void aPageOfOrdersFarApartReadsAboutTheRowsItFindsNotEveryRowBetween() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            names.add(String.format(Locale.ROOT, "arm-%05d", i));
        }
        Instant now = Instant.now();
        orders.create(
                StoredOrderDrafts.draft(new OrderRef(tenant, new OrderName(names.getFirst())), now),
                new HistoryEntry(now, "create", "test", "rows"));
        StoredOrderDrafts.copies(table, tenant, names.getFirst(), names.subList(1, names.size()));
        // A resource group's 100 jobs among the tenant's 5,000 orders: 20 in each page of 1,000 rows.
        List<OrderName> wanted = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 50) {
            wanted.add(new OrderName(names.get(i)));
        }
        queries.clear();

        assertThat(orders.findAll(tenant, wanted)).hasSize(100);

        assertThat(queries.rowsRead()).as("rows read for 100 orders").isEqualTo(100);
        assertThat(queries.filters().size()).as("filters of 12 names").isEqualTo(9);
    }
}
