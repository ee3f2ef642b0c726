package com.databox.cmk.storage;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark only (src/bench): writes an order straight to the table in the app's own entity
 * format, through {@link OrderEntityMapper} (package-private, hence this package), as
 * {@link TableOrders#create} does but without reading the order back: each order with its
 * history row, in entity-group transactions of up to {@link #ORDERS_PER_TRANSACTION} orders.
 */
public final class BenchOrderWriter {
    private final TableClient table;

    public BenchOrderWriter(TableClient table) {
        this.table = table;
    }

    /** The filter for order rows, without their history rows, as the app's own reads use it. */
    public static final String ORDER_ROWS_ONLY = "RowKey gt '" + OrderEntityMapper.ORDER_ROW_PREFIX
            + "' and RowKey lt '" + OrderEntityMapper.ORDER_ROWS_END + "'";

    /** A transaction holds at most 100 entities: the order rows and their history rows. */
    public static final int ORDERS_PER_TRANSACTION = 50;

    /** @param orders at most {@link #ORDERS_PER_TRANSACTION}, all of one tenant (one partition) */
    public void create(List<Order> orders, HistoryEntry history) {
        List<TableTransactionAction> actions = new ArrayList<>(orders.size() * 2);
        for (Order order : orders) {
            actions.add(
                    new TableTransactionAction(TableTransactionActionType.CREATE, OrderEntityMapper.toEntity(order)));
            actions.add(new TableTransactionAction(
                    TableTransactionActionType.CREATE, OrderEntityMapper.toEntity(order.ref(), history)));
        }
        table.submitTransaction(actions);
    }
}
