package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The count that bounds a tenant's system-assigned identities, on Azurite's table: the tenant's orders holding
 * one, active or finished within the retention, not a finished order's past it, not an order without one (a row
 * without the column), not another tenant's, nor the orders' history rows; and it reads only the rows it counts.
 */
class TableOrdersSystemAssignedCountTest {
    private final TableOrders orders = new TableOrders(new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName("orderssystemcount")
            .buildClient());
    private final TenantId tenant = new TenantId(UUID.randomUUID().toString());
    private final TenantId otherTenant = new TenantId(UUID.randomUUID().toString());

    private void create(TenantId in, String name, boolean systemAssigned, Stage stage) {
        create(in, name, systemAssigned, stage, Instant.now());
    }

    private void create(TenantId in, String name, boolean systemAssigned, Stage stage, Instant now) {
        OrderIdentity identity = systemAssigned
                ? new OrderIdentity(
                        new SystemAssignedIdentity(
                                UUID.randomUUID().toString(),
                                in.value(),
                                new UserAssignedIdentityId("/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a"
                                        + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/"
                                        + "userAssignedIdentities/" + name)),
                        Map.of())
                : OrderIdentity.NONE;
        orders.create(
                StoredOrderDrafts.draft(new OrderRef(in, new OrderName(name)), identity, now)
                        .withStage(stage),
                new HistoryEntry(now, "create", "test", "count"));
    }

    @Test
    void countsTheTenantsOrdersThatHoldASystemAssignedIdentityUpToTheLimitAsked() {
        create(tenant, "sys-1", true, Stage.DeviceOrdered);
        create(tenant, "sys-2", true, Stage.DataCopy);
        create(tenant, "sys-3", true, Stage.AtAzureDC);
        create(tenant, "done", true, Stage.Completed);
        create(
                tenant,
                "cancelled-long-ago",
                true,
                Stage.Cancelled,
                Instant.now().minus(Duration.ofDays(40)));
        create(tenant, "none", false, Stage.DeviceOrdered);
        create(otherTenant, "sys-other", true, Stage.DeviceOrdered);
        Instant now = Instant.now();
        Duration retention = Duration.ofDays(30);

        assertThat(orders.countHoldingSystemAssigned(tenant, now, retention, 10))
                .isEqualTo(4);
        assertThat(orders.countHoldingSystemAssigned(tenant, now, retention, 2)).isEqualTo(2);
        assertThat(orders.countHoldingSystemAssigned(tenant, now.plus(Duration.ofDays(31)), retention, 10))
                .isEqualTo(3);
        assertThat(orders.countHoldingSystemAssigned(otherTenant, now, retention, 10))
                .isEqualTo(1);
        assertThat(orders.countHoldingSystemAssigned(
                        new TenantId(UUID.randomUUID().toString()), now, retention, 10))
                .isZero();
    }

    @Test
    void readsOnlyTheRowsItCountsNotTheTenantsFinishedOrdersPastTheRetention() {
        for (int i = 0; i < 5; i++) {
            create(
                    tenant,
                    "cancelled-long-ago-" + i,
                    true,
                    Stage.Cancelled,
                    Instant.now().minus(Duration.ofDays(40)));
        }
        create(tenant, "active", true, Stage.DataCopy);
        create(
                tenant,
                "done-lately",
                true,
                Stage.CompletedWithWarnings,
                Instant.now().minus(Duration.ofDays(20)));
        RowsRead rowsRead = new RowsRead();
        TableOrders counting = new TableOrders(new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("orderssystemcount")
                .addPolicy(rowsRead)
                .buildClient());

        assertThat(counting.countHoldingSystemAssigned(tenant, Instant.now(), Duration.ofDays(30), 10))
                .isEqualTo(2);
        assertThat(rowsRead.rows).hasValue(2);
    }

    /** The entities Table Storage answered to the client's queries. */
    private static final class RowsRead implements HttpPipelinePolicy {
        private static final ObjectMapper JSON = new ObjectMapper();
        final AtomicInteger rows = new AtomicInteger();

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return next.process().map(this::counted);
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            return counted(next.processSync());
        }

        private HttpResponse counted(HttpResponse response) {
            if (response.getRequest().getHttpMethod() != HttpMethod.GET) {
                return response;
            }
            HttpResponse buffered = response.buffer();
            try {
                rows.addAndGet(JSON.readTree(buffered.getBodyAsBinaryData().toBytes())
                        .path("value")
                        .size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffered;
        }
    }
}
