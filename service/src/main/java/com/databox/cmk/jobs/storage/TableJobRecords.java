package com.databox.cmk.jobs.storage;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import com.azure.data.tables.models.TableTransactionResult;
import com.databox.cmk.jobs.JobCaller;
import com.databox.cmk.jobs.JobErrorCode;
import com.databox.cmk.jobs.JobException;
import com.databox.cmk.jobs.JobKey;
import com.databox.cmk.jobs.JobOperation;
import com.databox.cmk.jobs.JobRecord;
import com.databox.cmk.jobs.JobRecords;
import com.databox.cmk.storage.StorageCalls;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Job records and operations in their own Azure table ({@code cmk.jobs.table}, default
 * {@code armjobs}). A job is the row {@code (job-{subscription}, hex({resource group}|{job name}))},
 * lower-cased because ARM names are case-insensitive, with the names as given kept in columns;
 * an operation is the row {@code (op-{subscription}, {operation id})}.
 */
public class TableJobRecords implements JobRecords {
    private static final int MAX_TEXT = 30_000;
    /** The most rows Table Storage answers in a page. */
    private static final int MAX_STORAGE_PAGE = 1000;
    /** Pages read at most by one deletion of expired operations. */
    private static final int MAX_PAGES_PER_DELETION = 10;

    private static final String SUBSCRIPTION_ROW = "tenant";
    /** A random ID each write of a job's row stores, by which it knows its own write. */
    private static final String WRITE_ID = "WriteId";

    private final TableClient table;
    private final StorageCalls calls;

    public TableJobRecords(TableClient table) {
        this.table = table;
        this.calls = StorageCalls.forTable(table, StorageCalls.RETRY_AFTER);
    }

    @Override
    public Optional<JobRecord> find(JobKey key) {
        return calls.find(() -> table.getEntity(partition(key.subscriptionId()), row(key)))
                .map(TableJobRecords::toRecord);
    }

    @Override
    public JobRecord insert(JobRecord record) {
        return write(record, TableTransactionActionType.CREATE, false);
    }

    @Override
    public JobRecord replace(JobRecord record) {
        return write(record, TableTransactionActionType.UPDATE_REPLACE, true);
    }

    /** One-action transactions, as the order store writes: they carry the ETag condition and answer the new ETag. */
    private JobRecord write(JobRecord record, TableTransactionActionType type, boolean ifUnchanged) {
        TableEntity entity = toEntity(record);
        if (ifUnchanged && record.etag() != null) {
            entity.addProperty("odata.etag", record.etag());
        }
        // Names this write: one sent again after its answer was lost knows the row it meets for its own.
        String writeId = UUID.randomUUID().toString();
        entity.addProperty(WRITE_ID, writeId);
        Optional<TableTransactionResult> answered;
        try {
            answered = calls.write(
                    () -> table.submitTransaction(List.of(new TableTransactionAction(type, entity, ifUnchanged))),
                    () -> writtenBy(record.key(), writeId),
                    "the job '" + record.key().name() + "'");
        } catch (TableTransactionFailedException e) {
            StorageCalls.Refusal refusal = StorageCalls.Refusal.of(e);
            if (refusal == StorageCalls.Refusal.EXISTS && type == TableTransactionActionType.CREATE) {
                throw new JobException(
                        JobErrorCode.Conflict,
                        "The job '" + record.key().name() + "' is being created by another request.",
                        "jobName");
            }
            if (refusal == StorageCalls.Refusal.STALE) {
                throw changedMeanwhile(record.key());
            }
            throw e;
        }
        if (answered.isEmpty()) {
            // Its answer was lost, but the row holds this write's WriteId: it was written.
            return readBack(record.key());
        }
        String etag = answered.get()
                .getTransactionActionResponses()
                .getFirst()
                .getHeaders()
                .getValue(HttpHeaderName.ETAG);
        return etag != null ? withEtag(record, etag) : readBack(record.key());
    }

    /** The job as a write known to be stored left it. */
    private JobRecord readBack(JobKey key) {
        return calls.readStored(
                () -> find(key).orElseThrow(() -> changedMeanwhile(key)), "the job '" + key.name() + "'");
    }

    private static JobException changedMeanwhile(JobKey key) {
        return JobException.preconditionFailed(
                "The job '" + key.name() + "' was changed by another request meanwhile; read it and retry.");
    }

    /** Whether the job's row is the one the write {@code writeId} made. */
    private boolean writtenBy(JobKey key, String writeId) {
        return calls.find(() -> table.getEntityWithResponse(
                                partition(key.subscriptionId()), row(key), List.of(WRITE_ID), null, null)
                        .getValue())
                .map(row -> writeId.equals(row.getProperty(WRITE_ID)))
                .orElse(false);
    }

    @Override
    public void delete(JobKey key) {
        calls.delete(() -> table.deleteEntity(partition(key.subscriptionId()), row(key)));
    }

    @Override
    public boolean deleteIfUnchanged(JobRecord record) {
        TableEntity row = new TableEntity(partition(record.key().subscriptionId()), row(record.key()));
        row.addProperty("odata.etag", record.etag());
        return calls.deleteIfUnchanged(() -> table.deleteEntityWithResponse(row, true, null, null));
    }

    @Override
    public Page list(String subscriptionId, String resourceGroup, int top, String after) {
        StringBuilder filter = new StringBuilder("PartitionKey eq ").append(quote(partition(subscriptionId)));
        if (resourceGroup != null) {
            String group = resourceGroup.toLowerCase(Locale.ROOT);
            filter.append(" and RowKey ge ")
                    .append(quote(hex(group + "|")))
                    .append(" and RowKey lt ")
                    .append(quote(hex(group + "}")));
        }
        if (after != null) {
            filter.append(" and RowKey gt ").append(quote(after));
        }
        // One row more than the page holds, as the orders' listing reads: a page is never followed by an empty one.
        List<TableEntity> rows = new ArrayList<>(top + 1);
        Iterator<PagedResponse<TableEntity>> pages = calls.iterator(() -> table.listEntities(
                        new ListEntitiesOptions()
                                .setFilter(filter.toString())
                                .setTop(Math.min(top + 1, MAX_STORAGE_PAGE)),
                        null,
                        null)
                .iterableByPage()
                .iterator());
        while (rows.size() <= top && pages.hasNext()) {
            for (TableEntity entity : pages.next().getValue()) {
                if (rows.size() > top) {
                    break;
                }
                rows.add(entity);
            }
        }
        List<TableEntity> page = rows.size() > top ? rows.subList(0, top) : rows;
        List<JobRecord> records = page.stream().map(TableJobRecords::toRecord).toList();
        return new Page(records, rows.size() > top ? page.getLast().getRowKey() : null);
    }

    @Override
    public String bindSubscription(String subscriptionId, String tenantId) {
        try {
            calls.run(() -> table.createEntity(
                    entity(subscriptionPartition(subscriptionId), SUBSCRIPTION_ROW, "TenantId", tenantId)));
            return tenantId;
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 409) {
                throw e;
            }
            return subscriptionTenant(subscriptionId).orElseThrow(() -> e);
        }
    }

    @Override
    public Optional<String> subscriptionTenant(String subscriptionId) {
        return calls.find(() -> table.getEntity(subscriptionPartition(subscriptionId), SUBSCRIPTION_ROW))
                .map(row -> text(row, "TenantId"));
    }

    @Override
    public void saveOperation(JobOperation operation) {
        calls.run(() -> table.upsertEntity(entity(
                operationPartition(operation.subscriptionId()),
                operation.id(),
                "SubscriptionId",
                operation.subscriptionId(),
                "Location",
                operation.location(),
                "JobResourceId",
                operation.jobResourceId(),
                "JobOrderName",
                operation.jobOrderName(),
                "Kind",
                operation.kind(),
                "Status",
                operation.status(),
                "StartTime",
                utc(operation.startTime()),
                "EndTime",
                utc(operation.endTime()),
                "ErrorCode",
                operation.errorCode(),
                "ErrorMessage",
                operation.errorMessage())));
    }

    @Override
    public Optional<JobOperation> findOperation(String subscriptionId, String operationId) {
        return calls.find(() -> table.getEntity(operationPartition(subscriptionId), operationId))
                .map(e -> new JobOperation(
                        e.getRowKey(),
                        text(e, "SubscriptionId"),
                        text(e, "Location"),
                        text(e, "JobResourceId"),
                        text(e, "JobOrderName"),
                        text(e, "Kind"),
                        text(e, "Status"),
                        instant(e, "StartTime"),
                        instant(e, "EndTime"),
                        text(e, "ErrorCode"),
                        text(e, "ErrorMessage")));
    }

    @Override
    public int deleteOperationsEndedBefore(Instant cutoff, int max) {
        // Every operation partition, "op-" up to the next character after '-': a range of partition keys, not a scan
        // of the jobs' partitions.
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter("PartitionKey ge 'op-' and PartitionKey lt 'op.' and EndTime lt datetime'"
                        + cutoff.truncatedTo(ChronoUnit.SECONDS) + "'")
                .setSelect(List.of("PartitionKey", "RowKey"))
                .setTop(max);
        List<TableEntity> expired = new ArrayList<>();
        // Pages, not rows: a range of many partitions may answer empty pages with continuations.
        Iterator<PagedResponse<TableEntity>> pages = calls.iterator(
                () -> table.listEntities(options, null, null).iterableByPage().iterator());
        for (int read = 0; read < MAX_PAGES_PER_DELETION && expired.size() < max && pages.hasNext(); read++) {
            pages.next().getValue().stream().limit(max - expired.size()).forEach(expired::add);
        }
        expired.forEach(row -> calls.delete(() -> table.deleteEntity(row.getPartitionKey(), row.getRowKey())));
        return expired.size();
    }

    private static TableEntity toEntity(JobRecord r) {
        for (String text : new String[] {r.tags(), r.sku(), r.properties()}) {
            if (text != null && text.length() > MAX_TEXT) {
                throw JobException.invalid(
                        "The job's properties, tags or sku are too large to keep (over " + MAX_TEXT
                                + " characters of JSON).",
                        "properties");
            }
        }
        return entity(
                partition(r.key().subscriptionId()),
                row(r.key()),
                "SubscriptionId",
                r.key().subscriptionId(),
                "ResourceGroup",
                r.key().resourceGroup(),
                "JobName",
                r.key().name(),
                "OrderName",
                r.orderName(),
                "State",
                r.state(),
                "TenantId",
                r.tenantId(),
                "Tags",
                r.tags(),
                "Sku",
                r.sku(),
                "Properties",
                r.properties(),
                "CreatedBy",
                r.createdBy().actor(),
                "CreatedByType",
                r.createdBy().type(),
                "CreatedAt",
                utc(r.createdAt()),
                "LastModifiedBy",
                r.lastModifiedBy().actor(),
                "LastModifiedByType",
                r.lastModifiedBy().type(),
                "LastModifiedAt",
                utc(r.lastModifiedAt()));
    }

    private static JobRecord toRecord(TableEntity e) {
        JobKey key = new JobKey(text(e, "SubscriptionId"), text(e, "ResourceGroup"), text(e, "JobName"));
        String tenant = text(e, "TenantId");
        return new JobRecord(
                key,
                text(e, "OrderName"),
                text(e, "State"),
                tenant,
                text(e, "Tags"),
                text(e, "Sku"),
                text(e, "Properties"),
                new JobCaller(text(e, "CreatedBy"), text(e, "CreatedByType"), tenant),
                instant(e, "CreatedAt"),
                new JobCaller(text(e, "LastModifiedBy"), text(e, "LastModifiedByType"), tenant),
                instant(e, "LastModifiedAt"),
                e.getETag());
    }

    /** A row of {@code namesAndValues} pairs; absent values are left out rather than written as nulls. */
    private static TableEntity entity(String partitionKey, String rowKey, Object... namesAndValues) {
        TableEntity entity = new TableEntity(partitionKey, rowKey);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                entity.addProperty((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return entity;
    }

    private static JobRecord withEtag(JobRecord r, String etag) {
        return new JobRecord(
                r.key(),
                r.orderName(),
                r.state(),
                r.tenantId(),
                r.tags(),
                r.sku(),
                r.properties(),
                r.createdBy(),
                r.createdAt(),
                r.lastModifiedBy(),
                r.lastModifiedAt(),
                etag);
    }

    private static String partition(String subscriptionId) {
        return "job-" + subscriptionId.toLowerCase(Locale.ROOT);
    }

    private static String subscriptionPartition(String subscriptionId) {
        return "sub-" + subscriptionId.toLowerCase(Locale.ROOT);
    }

    private static String operationPartition(String subscriptionId) {
        return "op-" + subscriptionId.toLowerCase(Locale.ROOT);
    }

    private static String row(JobKey key) {
        JobKey lower = key.lowerCase();
        return hex(lower.resourceGroup() + "|" + lower.name());
    }

    /**
     * Row keys in hex: resource group and job names may hold characters that keys in URLs do not
     * carry well ({@code ( ) . _}), and hex keeps the order, so a resource group's jobs are one range.
     */
    private static String hex(String value) {
        return HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String text(TableEntity e, String name) {
        Object value = e.getProperty(name);
        return value == null ? null : value.toString();
    }

    private static Instant instant(TableEntity e, String name) {
        Object value = e.getProperty(name);
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        return value == null ? null : OffsetDateTime.parse(value.toString()).toInstant();
    }
}
