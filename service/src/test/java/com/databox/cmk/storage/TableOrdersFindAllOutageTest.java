package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Review rv14 F2: storage going away in the middle of a findAll is the service's 503, as elsewhere. */
class TableOrdersFindAllOutageTest {
    private final TableQueries queries = new TableQueries();
    private final TableOrders orders = new TableOrders(Azurite.shared()
            .newTable("rv14outage")
            .retryPolicy(new RetryPolicy(new FixedDelay(1, Duration.ofMillis(10))))
            .addPolicy(queries)
            .buildClient());
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());

    @Test
    void anOutageMidwayOrAtTheFirstFilterIsStorageUnavailable() {
        List<String> names = IntStream.range(0, 60)
                .mapToObj(i -> String.format(Locale.ROOT, "out-%03d", i))
                .toList();
        Instant now = Instant.now();
        for (String name : names) {
            orders.create(
                    StoredOrderDrafts.draft(new OrderRef(tenant, new OrderName(name)), now),
                    new HistoryEntry(now, "create", "test", "find"));
        }
        // The second filter of names fails, after the first was read.
        queries.outageAfter(1);
        Throwable midway = catchThrowable(
                () -> orders.findAll(tenant, names.stream().map(OrderName::new).toList()));
        // The first fails.
        queries.outageAfter(0);
        Throwable first = catchThrowable(() -> orders.findAll(tenant, List.of(new OrderName(names.getFirst()))));
        for (Throwable thrown : List.of(midway, first)) {
            assertThat(thrown).isInstanceOfSatisfying(ServiceException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.StorageUnavailable);
                assertThat(e.retryAfter()).isNotNull();
            });
        }
    }
}
