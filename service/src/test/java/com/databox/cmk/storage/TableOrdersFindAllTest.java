package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's orders read by their names together, as a page of the jobs listing reads its jobs' orders (bug bash pg1,
 * F3): a few queries on Azurite's table, each within Table Storage's 15 comparisons, never one a name.
 */
class TableOrdersFindAllTest {
    private static final Pattern COMPARISON = Pattern.compile(" (eq|ne|gt|ge|lt|le) ");

    private final TableQueries queries = new TableQueries();
    private final TableOrders orders = new TableOrders(
            Azurite.shared().newTable("ordersfindall").addPolicy(queries).buildClient());
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());
    private final List<String> names = IntStream.range(0, 60)
            .mapToObj(i -> String.format(Locale.ROOT, "find-%03d", i))
            .toList();

    @BeforeEach
    void orders() {
        for (String name : names) {
            create(tenant, name);
        }
        create(new TenantId(UUID.randomUUID().toString()), "find-004");
        queries.clear();
    }

    private void create(TenantId in, String name) {
        Instant now = Instant.now();
        orders.create(
                StoredOrderDrafts.draft(new OrderRef(in, new OrderName(name)), now),
                new HistoryEntry(now, "create", "test", "find"));
    }

    private List<String> find(List<String> wanted) {
        return orders.findAll(tenant, wanted.stream().map(OrderName::new).toList()).stream()
                .map(Order::name)
                .map(OrderName::value)
                .sorted()
                .toList();
    }

    private void assertEachQueryWithinTableStoragesLimit() {
        for (String filter : queries.filters()) {
            Matcher comparisons = COMPARISON.matcher(filter);
            int count = 0;
            while (comparisons.find()) {
                count++;
            }
            assertThat(count).as(filter).isLessThanOrEqualTo(15);
        }
    }

    @Test
    void readsInFiltersOfTwelveNamesOnlyThoseAsked() {
        List<String> wanted = new ArrayList<>(names);
        wanted.add("find-999"); // none such: left out
        assertThat(find(wanted)).containsExactlyElementsOf(names);
        assertThat(queries.filters()).hasSize(6);
        assertThat(queries.filters().subList(0, 5)).allMatch(filter -> filter.contains(" or "));
        assertThat(queries.filters().get(1))
                .contains("RowKey eq 'order~find-012'")
                .doesNotContain("find-011'");
        assertEachQueryWithinTableStoragesLimit();
    }

    @Test
    void readsAFewFarApartInOneQuery() {
        List<String> wanted = List.of("find-004", "find-031", "find-059");
        assertThat(find(wanted)).containsExactlyElementsOf(wanted);
        assertThat(queries.filters()).hasSize(1);
        assertEachQueryWithinTableStoragesLimit();
    }

    @Test
    void readsNothingForNoNames() {
        assertThat(find(List.of())).isEmpty();
        assertThat(queries.filters()).isEmpty();
    }
}
