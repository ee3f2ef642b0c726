package com.databox.cmk.storage;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import com.azure.data.tables.models.TableTransactionResult;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.error.UnconfirmedWriteException;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderConflictException;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.order.OrderKeyStatePage;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderNamePage;
import com.databox.cmk.order.OrderPage;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UnreadableOrder;
import com.databox.cmk.outbox.Outbox;
import com.databox.cmk.outbox.PendingEvent;
import com.databox.cmk.outbox.PendingEventPage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Orders in Azure Table Storage; every update is conditional on the ETag read. One partition per
 * tenant (see {@link OrderEntityMapper}), so a tenant's list is one partition's range. A change's
 * events are rows of the order's partition written in the change's transaction: the outbox.
 */
public class TableOrders implements Orders, Outbox {
    private static final Logger LOG = Logger.getLogger(TableOrders.class);
    private static final String ORDER_ROWS_ONLY = "RowKey gt '" + OrderEntityMapper.ORDER_ROW_PREFIX
            + "' and RowKey lt '" + OrderEntityMapper.ORDER_ROWS_END + "'";
    /**
     * Where the outbox sweep stopped: a row of a partition no tenant has (tenants' partitions are their
     * IDs, GUIDs), whose row key is neither an order's nor an outbox row's, so that no listing reads it.
     */
    private static final String SERVICE_PARTITION = "service";

    /** The most rows Table Storage answers in a page, and the most {@code $top} may ask. */
    private static final int MAX_STORAGE_PAGE = 1000;

    /**
     * Names one filter of {@link #findAll} asks for: Table Storage permits at most 15 discrete comparisons in a
     * {@code $filter} (Querying tables and entities), and the filter also holds its partition and the names' range
     * (3), which keeps Table Storage's scan of an "or" of row keys inside that range.
     */
    private static final int NAMES_PER_FILTER = 12;

    private static final String SWEEP_POSITION_ROW = "sweep~outbox";
    /**
     * Every tenant's outbox: one row-key range in each partition, so the service seeks it in each
     * partition rather than reading the orders (docs/ARCHITECTURE.md, "Events: the outbox").
     */
    private static final String OUTBOX_ROWS_ONLY = "RowKey gt '" + OrderEntityMapper.OUTBOX_ROW_PREFIX
            + "' and RowKey lt '" + OrderEntityMapper.OUTBOX_ROWS_END + "'";

    private final TableClient table;
    private final StorageCalls calls;

    public TableOrders(TableClient table) {
        this(table, StorageCalls.forTable(table, StorageCalls.RETRY_AFTER));
    }

    public TableOrders(TableClient table, StorageCalls calls) {
        this.table = table;
        this.calls = calls;
    }

    @Override
    public Optional<Order> find(OrderRef order) {
        return calls.find(() -> table.getEntity(order.tenant().value(), OrderEntityMapper.orderRow(order.name())))
                .map(OrderEntityMapper::toOrder);
    }

    /**
     * Reads the orders in filters of {@link #NAMES_PER_FILTER} names each, in key order: a page of 1,000 jobs costs
     * about 85 queries, never one a name, and reads no row but the orders asked for. A range between the first and
     * the last (tried first, review rv14 F1) read every order between them, which for a resource group's page of a
     * tenant with many jobs, whose names are spread over all of its orders, was up to 83 rows an order found.
     */
    @Override
    public List<Order> findAll(TenantId tenant, Collection<OrderName> names) {
        List<String> rows = names.stream()
                .map(OrderEntityMapper::orderRow)
                .distinct()
                .sorted()
                .toList();
        Function<TableEntity, Order> mapper = OrderEntityMapper.pageMapper();
        List<Order> found = new ArrayList<>(rows.size());
        for (int from = 0; from < rows.size(); from += NAMES_PER_FILTER) {
            List<String> batch = rows.subList(from, Math.min(from + NAMES_PER_FILTER, rows.size()));
            String filter = inRange(tenant, batch) + " and ("
                    + batch.stream().map(row -> "RowKey eq '" + row + "'").collect(Collectors.joining(" or ")) + ")";
            found.addAll(calls.call(
                    () -> table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                            .map(mapper)
                            .toList()));
        }
        return found;
    }

    /** The tenant's rows from the first of {@code sortedRows} to the last, both included. */
    private static String inRange(TenantId tenant, List<String> sortedRows) {
        // Tenant IDs and order names are validated shapes (a GUID; letters, digits, hyphens): no quote gets here.
        return "PartitionKey eq '" + tenant.value() + "' and RowKey ge '" + sortedRows.getFirst() + "' and RowKey le '"
                + sortedRows.getLast() + "'";
    }

    @Override
    public Order create(Order order, HistoryEntry history) {
        return write(order, history, List.of(), TableTransactionActionType.CREATE, false);
    }

    @Override
    public Order replace(Order order, HistoryEntry history, List<OrderEvent> events) {
        return write(order, history, events, TableTransactionActionType.UPDATE_REPLACE, true);
    }

    private Order write(
            Order order,
            HistoryEntry history,
            List<OrderEvent> events,
            TableTransactionActionType type,
            boolean ifUnchanged) {
        Order stamped = order.stored(history.at(), order.etag());
        List<TableTransactionAction> actions = new ArrayList<>();
        actions.add(new TableTransactionAction(type, OrderEntityMapper.toEntity(stamped), ifUnchanged));
        actions.add(new TableTransactionAction(
                TableTransactionActionType.CREATE, OrderEntityMapper.toEntity(order.ref(), history)));
        for (OrderEvent event : events) {
            actions.add(new TableTransactionAction(
                    TableTransactionActionType.CREATE, OrderEntityMapper.toEntity(order.ref(), event)));
        }
        TransactionEtags.Sink written = new TransactionEtags.Sink();
        TableEntity historyRow = actions.get(1).getEntity();
        Optional<TableTransactionResult> answered;
        try {
            answered = calls.write(
                    () -> table.submitTransactionWithResponse(actions, null, TransactionEtags.context(written))
                            .getValue(),
                    () -> written(historyRow),
                    "the order '" + order.name() + "'");
        } catch (TableTransactionFailedException e) {
            StorageCalls.Refusal refusal = StorageCalls.Refusal.of(e);
            if (refusal == StorageCalls.Refusal.EXISTS && type == TableTransactionActionType.CREATE) {
                throw new OrderConflictException(order.name());
            }
            if (refusal == StorageCalls.Refusal.STALE) {
                throw new StaleOrderException(order.name());
            }
            throw e;
        } catch (UnconfirmedWriteException mayBeStored) {
            // It may have been stored: a newer ETag may be its own, so it is no sign of a lost race.
            throw mayBeStored;
        } catch (ServiceException outage) {
            // Known not stored (StorageCalls asked): a newer ETag is another write's.
            if (ifUnchanged && outage.code() == ErrorCode.StorageUnavailable && changedSince(order)) {
                throw new StaleOrderException(order.name());
            }
            throw outage;
        }
        if (answered.isEmpty()) {
            // Its answer was lost, but this write's own history row is there (its key holds a random UUID, and
            // the batch is all or nothing): it was written.
            return readBack(order);
        }
        TableTransactionResult result = answered.get();
        // The batch answers the new ETag of each entity it wrote; what was written is the order. The SDK
        // drops the sub-responses' headers, which TransactionEtags reads where the table client has it.
        String etag =
                result.getTransactionActionResponses().getFirst().getHeaders().getValue(HttpHeaderName.ETAG);
        if (etag == null && written.etags().size() == actions.size()) {
            etag = written.etags().getFirst();
        }
        if (etag == null) {
            return readBack(order);
        }
        return stamped.stored(stamped.updatedAt(), etag);
    }

    /**
     * Whether another write has changed the order since it was read, asked after a conditional write that storage did
     * not answer and did not store: then that write was (or will be) refused as stale, and saying so (412, or a
     * retry on the newer order) is more precise than "unavailable" (the reliability bug bash, F7). Storage still
     * not answering leaves the outage as it is.
     */
    private boolean changedSince(Order order) {
        try {
            return find(order.ref())
                    .map(Order::etag)
                    .filter(order.etag()::equals)
                    .isEmpty();
        } catch (ServiceException stillOut) {
            return false;
        }
    }

    /** The order as a write known to be stored left it. */
    private Order readBack(Order order) {
        return calls.readStored(
                () -> find(order.ref()).orElseThrow(() -> new StaleOrderException(order.name())),
                "the order '" + order.name() + "'");
    }

    /** Whether {@code row} is stored: a row whose key no other write can have made (a history row's). */
    private boolean written(TableEntity row) {
        return calls.find(() -> table.getEntityWithResponse(
                        row.getPartitionKey(), row.getRowKey(), List.of("PartitionKey"), null, null))
                .isPresent();
    }

    @Override
    public OrderPage list(TenantId tenant, int top, String continuation) {
        return list(tenant, top, continuation, next -> {});
    }

    @Override
    public OrderPage list(TenantId tenant, int top, String continuation, Consumer<String> nextPage) {
        PagedResponse<TableEntity> page = orderPage(tenant, top, continuation, nextPage, null);
        return page == null
                ? new OrderPage(List.of(), null)
                : new OrderPage(
                        page.getValue().stream()
                                .map(OrderEntityMapper.pageMapper())
                                .toList(),
                        page.getContinuationToken());
    }

    /**
     * Reads one row more than the page holds, so that a page is never followed by an empty one; a
     * storage page holds at most 1,000 rows ({@code $top} above is refused), the next page the rest.
     */
    @Override
    public OrderPage listAfter(TenantId tenant, int top, OrderName after) {
        String filter =
                inTenant(tenant) + (after == null ? "" : " and RowKey gt '" + OrderEntityMapper.orderRow(after) + "'");
        Iterator<PagedResponse<TableEntity>> pages = calls.iterator(() -> table.listEntities(
                        new ListEntitiesOptions().setFilter(filter).setTop(Math.min(top + 1, MAX_STORAGE_PAGE)),
                        null,
                        null)
                .iterableByPage()
                .iterator());
        Function<TableEntity, Order> mapper = OrderEntityMapper.pageMapper();
        List<Order> orders = new ArrayList<>(top + 1);
        while (orders.size() <= top && pages.hasNext()) {
            for (TableEntity entity : pages.next().getValue()) {
                if (orders.size() > top) {
                    break;
                }
                orders.add(mapper.apply(entity));
            }
        }
        if (orders.size() <= top) {
            return new OrderPage(orders, null);
        }
        List<Order> page = orders.subList(0, top);
        return new OrderPage(List.copyOf(page), page.getLast().ref().name().value());
    }

    /**
     * Reads only {@link OrderEntityMapper#KEY_STATE_PROPERTIES}. The rare order with more user-assigned
     * identities than those columns hold is read again whole, so its state lacks none of them. An order whose row
     * cannot be read again ({@link DamagedRowException}) is left out and named in the page's {@code unreadable}.
     */
    @Override
    public OrderKeyStatePage listKeyStates(TenantId tenant, int top, String continuation, Consumer<String> nextPage) {
        PagedResponse<TableEntity> page =
                orderPage(tenant, top, continuation, nextPage, OrderEntityMapper.KEY_STATE_PROPERTIES);
        if (page == null) {
            return new OrderKeyStatePage(List.of(), null);
        }
        Function<TableEntity, OrderKeyState> mapper = OrderEntityMapper.keyStatePageMapper();
        List<OrderKeyState> states = new ArrayList<>(page.getValue().size());
        List<UnreadableOrder> unreadable = new ArrayList<>();
        for (TableEntity entity : page.getValue()) {
            try {
                OrderKeyState state = mapper.apply(entity);
                if (state == null) {
                    // Read whole; an order deleted since the page was read has nothing left to audit.
                    find(OrderEntityMapper.toRef(entity)).map(Order::keyState).ifPresent(states::add);
                } else {
                    states.add(state);
                }
            } catch (DamagedRowException damaged) {
                // Left out and named, as a damaged outbox row is left in place: failing the page would fail it on
                // every read, and hide every other order of the page. A storage outage still fails the page.
                unreadable.add(new UnreadableOrder(OrderEntityMapper.toRef(entity), damaged.column()));
            }
        }
        return new OrderKeyStatePage(states, unreadable, page.getContinuationToken());
    }

    /**
     * A damaged row ({@link DamagedRowException}) is left out and handed to {@code unreadable} with the identities it
     * names ({@link OrderEntityMapper#namedIdentities}), as {@link #listKeyStates} leaves one out of its page.
     */
    @Override
    public Iterable<Order> listRange(
            TenantId tenant, OrderName first, OrderName last, Consumer<UnreadableOrder> unreadable) {
        // Tenant IDs and order names are validated shapes (a GUID; letters, digits, hyphens): no quote gets here.
        String filter = "PartitionKey eq '" + tenant.value() + "' and RowKey ge '" + OrderEntityMapper.orderRow(first)
                + "' and RowKey le '" + OrderEntityMapper.orderRow(last) + "'";
        return () -> {
            Iterator<TableEntity> entities =
                    calls.iterator(() -> table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null)
                            .iterator());
            return new Iterator<Order>() {
                private Order next;

                @Override
                public boolean hasNext() {
                    while (next == null && entities.hasNext()) {
                        TableEntity entity = entities.next();
                        try {
                            next = OrderEntityMapper.toOrder(entity);
                        } catch (DamagedRowException damaged) {
                            unreadable.accept(new UnreadableOrder(
                                    OrderEntityMapper.toRef(entity),
                                    damaged.column(),
                                    OrderEntityMapper.namedIdentities(entity)));
                        }
                    }
                    return next != null;
                }

                @Override
                public Order next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Order order = next;
                    next = null;
                    return order;
                }
            };
        };
    }

    /** The order's history rows of the version's millisecond (their keys start with it), and of its exact time. */
    @Override
    public Optional<HistoryEntry> changeThatMade(Order order) {
        Instant at = order.updatedAt();
        if (at == null) {
            return Optional.empty(); // a row without UpdatedAt (Order.holdsIdentities reads such rows too)
        }
        String millisecond = OrderEntityMapper.historyRowsAt(order.name(), at);
        String filter = "PartitionKey eq '" + order.tenant().value() + "' and RowKey gt '" + millisecond
                + "' and RowKey lt '" + millisecond + "~'";
        List<HistoryEntry> made =
                calls.call(() -> table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                        .map(OrderEntityMapper::toHistoryEntry)
                        .filter(entry -> at.equals(entry.at()))
                        .toList());
        return made.size() == 1 ? Optional.of(made.get(0)) : Optional.empty();
    }

    @Override
    public OrderNamePage listNames(TenantId tenant, int top, String continuation) {
        PagedResponse<TableEntity> page = page(
                new ListEntitiesOptions()
                        .setFilter(tenant == null ? ORDER_ROWS_ONLY : inTenant(tenant))
                        .setTop(top)
                        .setSelect(List.of("PartitionKey", "RowKey")),
                top,
                continuation);
        return page == null
                ? new OrderNamePage(List.of(), null)
                : new OrderNamePage(
                        page.getValue().stream().map(OrderEntityMapper::toRef).toList(), page.getContinuationToken());
    }

    @Override
    public int countHoldingSystemAssigned(TenantId tenant, Instant now, Duration finishedOrderRetention, int atMost) {
        // An entity without the property does not match a comparison with it (Table Storage's and Azurite's rule).
        // Finished orders past the retention are left out by the query, so that the count reads the rows it counts,
        // not the tenant's whole history of orders (bug bash of 2026-12-06, limit F2).
        String filter = inTenant(tenant) + " and SystemResourceId gt '' and ("
                + holdingIdentities(now, finishedOrderRetention) + ")";
        return calls.call(() -> {
            int count = 0;
            for (TableEntity row : table.listEntities(
                    new ListEntitiesOptions().setFilter(filter).setSelect(List.of("Stage", "UpdatedAt")), null, null)) {
                if (count >= atMost) {
                    break;
                }
                if (OrderEntityMapper.holdsIdentities(row, now, finishedOrderRetention)) {
                    count++;
                }
            }
            return count;
        });
    }

    @Override
    public List<PendingEvent> pending(OrderRef order) {
        String filter = "PartitionKey eq '" + order.tenant().value() + "' and RowKey gt '"
                + OrderEntityMapper.outboxRowsStart(order.name()) + "' and RowKey lt '"
                + OrderEntityMapper.outboxRowsEnd(order.name()) + "'";
        return calls.call(
                () -> readable(table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()));
    }

    @Override
    public PendingEventPage pending(int top, String continuation) {
        PagedResponse<TableEntity> page =
                page(new ListEntitiesOptions().setFilter(OUTBOX_ROWS_ONLY).setTop(top), top, continuation);
        return page == null
                ? new PendingEventPage(List.of(), null)
                : new PendingEventPage(readable(page.getValue().stream()), page.getContinuationToken());
    }

    /**
     * The outbox rows this build can read. A row it cannot (written by a newer build, after a roll-back, or
     * damaged) is left in place and logged, so that it holds up no other event: failing the page would stop
     * every sweep at it, for every tenant, until someone deleted it.
     */
    private static List<PendingEvent> readable(Stream<TableEntity> rows) {
        List<PendingEvent> events = new ArrayList<>();
        rows.forEach(row -> {
            try {
                events.add(OrderEntityMapper.toPendingEvent(row));
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Outbox row %s/%s cannot be read (%s); left in place, not relayed",
                        row.getPartitionKey(), row.getRowKey(), e.toString());
            }
        });
        return events;
    }

    @Override
    public Optional<String> sweepPosition() {
        return calls.find(() -> table.getEntity(SERVICE_PARTITION, SWEEP_POSITION_ROW))
                .map(row -> (String) row.getProperty("Continuation"));
    }

    @Override
    public void saveSweepPosition(String continuation) {
        if (continuation == null) {
            calls.delete(() -> table.deleteEntity(SERVICE_PARTITION, SWEEP_POSITION_ROW));
            return;
        }
        calls.run(() -> table.upsertEntity(
                new TableEntity(SERVICE_PARTITION, SWEEP_POSITION_ROW).addProperty("Continuation", continuation)));
    }

    @Override
    public void remove(PendingEvent pending) {
        TableEntity row = new TableEntity(
                pending.order().tenant().value(),
                OrderEntityMapper.outboxRow(pending.order().name(), pending.event()));
        row.addProperty("odata.etag", pending.etag());
        calls.delete(() -> table.deleteEntityWithResponse(row, true, null, null));
    }

    /** {@link Order#holdsIdentities} as a filter: an order not finished, or changed within the retention. */
    private static String holdingIdentities(Instant now, Duration finishedOrderRetention) {
        String active = Arrays.stream(Stage.values())
                .filter(Stage::isTerminal)
                .map(stage -> "Stage ne '" + stage.name() + "'")
                .collect(Collectors.joining(" and "));
        return "(" + active + ") or UpdatedAt gt datetime'" + now.minus(finishedOrderRetention) + "'";
    }

    private static String inTenant(TenantId tenant) {
        return "PartitionKey eq '" + tenant.value() + "' and " + ORDER_ROWS_ONLY;
    }

    /** One page of orders ({@code select}: these columns only, null for all); {@code nextPage} told as soon as known. */
    private PagedResponse<TableEntity> orderPage(
            TenantId tenant, int top, String continuation, Consumer<String> nextPage, List<String> select) {
        EarlyContinuation.Listener early = new EarlyContinuation.Listener(nextPage);
        PagedResponse<TableEntity> page = page(
                new ListEntitiesOptions()
                        .setFilter(tenant == null ? ORDER_ROWS_ONLY : inTenant(tenant))
                        .setTop(top)
                        .setSelect(select),
                top,
                continuation,
                EarlyContinuation.context(early));
        // Told from the headers already, unless the client has no EarlyContinuation policy.
        early.tell(page == null ? null : page.getContinuationToken());
        return page;
    }

    /** Reads one page only; the listing never holds more than a page in memory. */
    private PagedResponse<TableEntity> page(ListEntitiesOptions options, int top, String continuation) {
        return page(options, top, continuation, null);
    }

    private PagedResponse<TableEntity> page(
            ListEntitiesOptions options, int top, String continuation, Context context) {
        return calls.call(() -> {
            Iterator<PagedResponse<TableEntity>> pages = table.listEntities(options, null, context)
                    .iterableByPage(continuation, top)
                    .iterator();
            return pages.hasNext() ? pages.next() : null;
        });
    }
}
