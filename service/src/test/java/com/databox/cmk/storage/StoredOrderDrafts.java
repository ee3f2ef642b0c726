package com.databox.cmk.storage;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Orders as the storage tests write them: Microsoft-managed, in westus, with a stand-in wrapped unlock key. */
final class StoredOrderDrafts {
    static final String MICROSOFT_KEY = "https://databox-mmk.vault.azure.net/keys/mmk/0123456789abcdef0123456789abcdef";

    private StoredOrderDrafts() {}

    static Order draft(OrderRef ref, Instant at) {
        return draft(ref, OrderIdentity.NONE, at);
    }

    static Order draft(OrderRef ref, OrderIdentity identity, Instant at) {
        return Order.draft(ref, "westus", identity, at)
                .withProtection(
                        KeyProtection.MICROSOFT_MANAGED,
                        new WrappedUnlockKey(KeyUrl.parse(MICROSOFT_KEY), "RSA-OAEP-256", new byte[256]));
    }

    /** Copies of the tenant's order {@code template} under {@code names}, written 100 a transaction. */
    static void copies(TableClient table, TenantId tenant, String template, List<String> names) {
        TableEntity row = table.getEntity(tenant.value(), OrderEntityMapper.orderRow(new OrderName(template)));
        List<TableTransactionAction> batch = new ArrayList<>();
        for (String name : names) {
            TableEntity copy = new TableEntity(tenant.value(), OrderEntityMapper.orderRow(new OrderName(name)));
            row.getProperties().forEach((column, value) -> {
                if (!column.startsWith("odata")
                        && !column.equals("Timestamp")
                        && !column.equals("PartitionKey")
                        && !column.equals("RowKey")) {
                    copy.addProperty(column, value);
                }
            });
            batch.add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, copy));
            if (batch.size() == 100) {
                table.submitTransaction(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            table.submitTransaction(batch);
        }
    }
}
