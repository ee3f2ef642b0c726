package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Review rv14 F1: a page of the jobs listing whose orders are a small share of the tenant's (a resource group of a
 * tenant with many jobs) read, through {@link TableOrders#findAll}'s first version, every order row between its first
 * and last order while each 1,000-row page held 12 of them: up to about 83 rows read and parsed for each order found.
 * Filters of names read only the orders asked for.
 */
class TableOrdersFindAllRowsReadTest {
    private static final Pattern ROW = Pattern.compile("\"RowKey\"\\s*:");

    private final AtomicInteger rowsRead = new AtomicInteger();
    private final AtomicInteger queries = new AtomicInteger();
    private final TableClient table = Azurite.shared()
            .newTable("rv14rows")
            .addPolicy(new HttpPipelinePolicy() {
                @Override
                public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                    String query = context.getHttpRequest().getUrl().getQuery();
                    if (query == null || !query.contains("$filter=")) {
                        return next.process();
                    }
                    queries.incrementAndGet();
                    return next.process().map(HttpResponse::buffer).map(response -> {
                        Matcher rows = ROW.matcher(response.getBodyAsString().block());
                        while (rows.find()) {
                            rowsRead.incrementAndGet();
                        }
                        return response;
                    });
                }

                @Override
                public HttpPipelinePosition getPipelinePosition() {
                    return HttpPipelinePosition.PER_RETRY;
                }
            })
            .buildClient();
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
        rowsRead.set(0);
        queries.set(0);

        assertThat(orders.findAll(tenant, wanted)).hasSize(100);

        assertThat(rowsRead.get()).as("rows read for 100 orders").isEqualTo(100);
        assertThat(queries.get()).as("filters of 12 names").isEqualTo(9);
    }
}
