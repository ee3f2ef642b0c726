package com.databox.cmk.storage;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import java.util.List;

/**
 * Benchmark only (src/bench): writes an order straight to the table in the app's own entity
 * format, through {@link OrderEntityMapper} (package-private, hence this package), as
 * {@link TableOrders#create} does but without reading the order back: one entity-group
 * transaction per order (the order row and its history row).
 */
public final class BenchOrderWriter {
    private final TableClient table;

    public BenchOrderWriter(TableClient table) {
        this.table = table;
    }

    public void create(Order order, HistoryEntry history) {
        table.submitTransaction(List.of(
                new TableTransactionAction(TableTransactionActionType.CREATE, OrderEntityMapper.toEntity(order)),
                new TableTransactionAction(
                        TableTransactionActionType.CREATE, OrderEntityMapper.toEntity(order.ref(), history))));
    }
}
