package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Review rv14 F2: findAll finds what point reads find, for many shapes of names, on Azurite. */
class TableOrdersFindAllShapesTest {
    private final TableClient table = Azurite.shared().newTable("rv14findall").buildClient();
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());
    private final TenantId other = new TenantId(UUID.randomUUID().toString());
    private final Random random = new Random(14);

    private Order create(TableOrders orders, TenantId in, String name) {
        Instant now = Instant.now();
        return orders.create(
                StoredOrderDrafts.draft(new OrderRef(in, new OrderName(name)), now),
                new HistoryEntry(now, "create", "test", "find"));
    }

    private String armName() {
        StringBuilder hex = new StringBuilder("arm-");
        for (int i = 0; i < 20; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private static Set<String> names(List<Order> found) {
        return found.stream().map(o -> o.name().value()).collect(Collectors.toSet());
    }

    @Test
    void findAllFindsWhatPointReadsFindForManyShapes() {
        TableOrders orders = new TableOrders(table);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.add(armName());
        }
        // Names sorting around other rows of the partition and the edges of the order rows.
        all.addAll(List.of("000", "a-a", "history", "order", "outbox", "sweep", "zzz", "ZZZ", "Aaa"));
        create(new TableOrders(table), tenant, all.get(0));
        StoredOrderDrafts.copies(table, tenant, all.get(0), all.subList(1, all.size()));
        create(new TableOrders(table), other, "arm-shared-name-0000x");
        StoredOrderDrafts.copies(table, other, "arm-shared-name-0000x", all.subList(0, 50));
        for (int trial = 0; trial < 60; trial++) {
            int n = List.of(1, 12, 13, 25, 100, 309).get(trial % 6);
            Set<String> wanted = new HashSet<>();
            while (wanted.size() < Math.min(n, all.size())) {
                wanted.add(all.get(random.nextInt(all.size())));
            }
            wanted.add("arm-0000000000000000missing".substring(0, 24));
            wanted.add("zzzz-missing");
            List<Order> found =
                    orders.findAll(tenant, wanted.stream().map(OrderName::new).toList());
            Set<String> expected = new HashSet<>(wanted);
            expected.retainAll(all);
            assertThat(found).as("no duplicates, trial %d", trial).hasSize(expected.size());
            assertThat(names(found)).isEqualTo(expected);
            assertThat(found).allMatch(o -> o.tenant().equals(tenant));
        }
    }

    /** A damaged order row between wanted ones, itself not wanted: a page of other orders must not fail on it. */
    @Test
    void aDamagedRowNotAskedForFailsNoReadOfOthers() {
        TableOrders orders = new TableOrders(table);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(String.format(Locale.ROOT, "dmg-%03d", i));
        }
        create(new TableOrders(table), tenant, all.get(0));
        StoredOrderDrafts.copies(table, tenant, all.get(0), all.subList(1, all.size()));
        TableEntity damaged = new TableEntity(tenant.value(), "order~dmg-020").addProperty("UpdatedAt", "not a time");
        table.updateEntity(damaged, TableEntityUpdateMode.MERGE);
        List<String> wanted = all.stream().filter(n -> !n.equals("dmg-020")).toList();
        // Many filters of names
        assertThat(orders.findAll(tenant, wanted.stream().map(OrderName::new).toList()))
                .hasSize(39);
        // One filter
        assertThat(orders.findAll(
                        tenant,
                        wanted.subList(15, 25).stream().map(OrderName::new).toList()))
                .hasSize(10);
        // asked for: as find
        assertThatThrownBy(() -> orders.find(new OrderRef(tenant, new OrderName("dmg-020"))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() ->
                        orders.findAll(tenant, all.stream().map(OrderName::new).toList()))
                .isInstanceOf(IllegalStateException.class);
    }
}
