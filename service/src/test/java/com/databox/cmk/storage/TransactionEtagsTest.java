package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** A write learns the order's new ETag from the batch's answer, on Azurite, without reading the order back. */
class TransactionEtagsTest {

    private final AtomicInteger reads = new AtomicInteger();
    private final HttpPipelinePolicy countReads = (context, next) -> {
        if (context.getHttpRequest().getHttpMethod() == HttpMethod.GET) {
            reads.incrementAndGet();
        }
        return next.process();
    };
    private final TableClient table = new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName("ordersetags")
            .addPolicy(new TransactionEtags())
            .addPolicy(countReads)
            .buildClient();
    private final TableOrders orders = new TableOrders(table);
    private final OrderRef ref = new OrderRef(new TenantId(UUID.randomUUID().toString()), new OrderName("etags-1"));

    @Test
    void createAndReplaceAnswerTheStoredEtagWithoutReadingTheOrderBack() {
        Instant now = Instant.now();
        Order created =
                orders.create(StoredOrderDrafts.draft(ref, now), new HistoryEntry(now, "create", "test", "etags"));
        Order replaced = orders.replace(
                created.withKeyHealth(KeyHealth.healthy(now)),
                new HistoryEntry(now, "validate", "test", "etags"),
                List.of());
        assertThat(reads.get()).isZero();

        String stored = table.getEntity(ref.tenant().value(), OrderEntityMapper.orderRow(ref.name()))
                .getETag();
        assertThat(replaced.etag()).isEqualTo(stored).isNotEqualTo(created.etag());
        // The ETag answered is the one the next conditional write must present.
        Order again = orders.replace(replaced, new HistoryEntry(now, "validate", "test", "again"), List.of());
        Assertions.assertThatThrownBy(
                        () -> orders.replace(replaced, new HistoryEntry(now, "validate", "test", "stale"), List.of()))
                .isInstanceOf(StaleOrderException.class);
        assertThat(again.etag()).isNotEqualTo(replaced.etag());
    }

    @Test
    void readsEachSubResponsesEtagAndNoneWhenOneFailed() {
        String ok = "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n"
                + "--changesetresponse_2\r\nContent-Type: application/http\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nX-Content-Type-Options: nosniff\r\n"
                + "ETag: W/\"datetime'2026-11-30T07%3A42%3A15.1Z'\"\r\n\r\n\r\n"
                + "--changesetresponse_2\r\nContent-Type: application/http\r\n\r\n"
                + "HTTP/1.1 201 Created\r\netag: W/\"datetime'2026-11-30T07%3A42%3A15.2Z'\"\r\n\r\n{}\r\n"
                + "--changesetresponse_2--\r\n--batchresponse_1--\r\n";
        assertThat(TransactionEtags.subResponseEtags(ok))
                .containsExactly(
                        "W/\"datetime'2026-11-30T07%3A42%3A15.1Z'\"", "W/\"datetime'2026-11-30T07%3A42%3A15.2Z'\"");
        String failed =
                "--batchresponse_1\r\n\r\nHTTP/1.1 412 Precondition Failed\r\nContent-Type: application/json\r\n\r\n{}\r\n";
        assertThat(TransactionEtags.subResponseEtags(failed)).isEmpty();
        assertThat(TransactionEtags.subResponseEtags("HTTP/1.1 204 No Content\r\n\r\n"))
                .isEmpty();
    }
}
