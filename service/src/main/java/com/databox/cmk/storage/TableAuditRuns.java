package com.databox.cmk.storage;

import static com.databox.cmk.storage.TableValues.digest;
import static com.databox.cmk.storage.TableValues.instant;
import static com.databox.cmk.storage.TableValues.utc;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import com.databox.cmk.audit.AuditReport;
import com.databox.cmk.audit.AuditRuns;
import com.databox.cmk.audit.Finding;
import com.databox.cmk.audit.PairCheck;
import com.databox.cmk.audit.PlannedRun;
import com.databox.cmk.audit.ShardLink;
import com.databox.cmk.audit.ShardResult;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/**
 * Audit runs in Azure Table Storage: one partition per run, holding the run row, one row per
 * queued shard (where its page starts), one per finished shard, one per finding and one per
 * proven (key version, identity) pair.
 * Totals are summed from the shard rows when asked, so a shard done twice counts once.
 */
public class TableAuditRuns implements AuditRuns {
    private static final String RUN = "run";
    private static final String SHARD = "shard-";
    private static final String LINK = "link-";
    private static final String FINDING = "finding-";
    /** Above every finding's row key ({@code '.'} follows {@code '-'}), below every other row's. */
    private static final String AFTER_FINDINGS = "finding.";
    /** Above every link's row key, below the pairs'. */
    private static final String AFTER_LINKS = "link.";
    /**
     * The index of runs by start time, one row each ({@link #startedRow}), in a partition of its own: no run's
     * ID (a GUID) is this. Retention reads it instead of scanning the runs' partitions.
     */
    private static final String STARTED_PARTITION = "started";

    private static final char STARTED_SEPARATOR = '~';
    /** Fixed width, so that row keys sort as the times do. */
    private static final DateTimeFormatter STARTED_AT = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Table Storage's largest entity-group transaction. */
    private static final int MAX_TRANSACTION = 100;
    /** Between a finding's tenant and order name in its row key (no order name holds it). */
    private static final char TENANT_SEPARATOR = '~';

    private static final String PAIR = "pair-";
    /** The row of a tenant's latest run, in the tenant's partition ({@link #latestPartition}). */
    private static final String LATEST = "latest";
    /** When a shard linked the next: the run moved on then (the service's clock, as StartedAt and FinishedAt). */
    private static final String LINKED_AT = "LinkedAt";
    /** A pair claim's random ID: the claimant tells its own claim from another shard's. */
    private static final String CLAIM_ID = "ClaimId";

    private final TableClient table;
    private final StorageCalls calls;
    /** The shards' results, findings, pair claims and verdicts, which come in bursts, a transaction per burst. */
    private final PartitionWriteGroups grouped;

    public TableAuditRuns(TableClient table) {
        this.table = table;
        this.calls = StorageCalls.forTable(table, StorageCalls.RETRY_AFTER);
        this.grouped = new PartitionWriteGroups(table, calls);
    }

    @Override
    public void start(String runId, Instant startedAt, String trigger, String tenantId) {
        TableEntity run = new TableEntity(runId, RUN)
                .addProperty("StartedAt", utc(startedAt))
                .addProperty("Trigger", trigger);
        if (tenantId != null) {
            run.addProperty("TenantId", tenantId);
        }
        TableEntity firstShard = new TableEntity(runId, linkRow(0)).addProperty("Queued", false);
        // Indexed by start, so that retention finds every run without scanning the table's runs; written at
        // the same time as the run (another partition), so that the start waits for one write, not two. A
        // start fails when either fails; a run whose own write failed leaves an index row, which retention
        // deletes with nothing behind it.
        FutureTask<Void> indexed = new FutureTask<>(
                () -> calls.run(
                        () -> table.upsertEntity(new TableEntity(STARTED_PARTITION, startedRow(runId, startedAt)))),
                null);
        Thread.ofVirtual().name("audit-run-index").start(indexed);
        // One transaction: the run and its first shard's link are in the run's partition.
        try {
            calls.run(() -> table.submitTransaction(List.of(
                    new TableTransactionAction(TableTransactionActionType.CREATE, run),
                    new TableTransactionAction(TableTransactionActionType.CREATE, firstShard))));
        } catch (TableTransactionFailedException e) {
            // The run's ID is new: a run already there is this start's own, written by an attempt whose
            // answer was lost (a connection closed after the write) and which the client sent again.
            if (StorageCalls.Refusal.of(e) != StorageCalls.Refusal.EXISTS) {
                throw e;
            }
        }
        awaitIndexed(indexed);
    }

    private static void awaitIndexed(FutureTask<Void> indexed) {
        try {
            indexed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the audit run's index row was written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void shardsQueued(String runId, int shards) {
        calls.run(() -> table.updateEntity(
                new TableEntity(runId, RUN).addProperty("Shards", shards), TableEntityUpdateMode.MERGE));
    }

    /** The link is an insert: of a shard's deliveries, exactly one creates it; the others read it. */
    @Override
    public ShardLink linkShard(String runId, int index, String from, Instant linkedAt) {
        TableEntity link = new TableEntity(runId, linkRow(index))
                .addProperty("Queued", false)
                .addProperty(LINKED_AT, utc(linkedAt));
        if (from != null) {
            link.addProperty("From", from);
        }
        try {
            calls.run(() -> table.createEntity(link));
            return new ShardLink(index, from, false);
        } catch (TableServiceException e) {
            if (status(e) != 409) {
                throw e;
            }
        }
        return shardLink(runId, index).orElseThrow(() -> new IllegalStateException("A shard link vanished"));
    }

    @Override
    public Optional<ShardLink> shardLink(String runId, int index) {
        return calls.find(() -> table.getEntity(runId, linkRow(index)))
                .map(link ->
                        new ShardLink(index, string(link, "From"), Boolean.TRUE.equals(link.getProperty("Queued"))));
    }

    /** Merged into the link made just before, with the run's other writes of the moment (the pairs' claims, often). */
    @Override
    public void shardLinkQueued(String runId, int index) {
        grouped.upsert(new TableEntity(runId, linkRow(index)).addProperty("Queued", true));
    }

    private static String linkRow(int index) {
        return LINK + String.format(Locale.ROOT, "%06d", index);
    }

    @Override
    public void recordShard(String runId, ShardResult result) {
        grouped.upsert(new TableEntity(runId, shardRow(result.index()))
                .addProperty("FinishedAt", utc(result.finishedAt()))
                .addProperty("OrdersChecked", result.ordersChecked())
                .addProperty("Healthy", result.healthy())
                .addProperty("AccessLost", result.accessLost())
                .addProperty("Rotated", result.rotated())
                .addProperty("NotAudited", result.notAudited())
                .addProperty("Unreadable", result.unreadable()));
    }

    @Override
    public Optional<ShardResult> shardResult(String runId, int index) {
        return calls.find(() -> table.getEntity(runId, shardRow(index))).map(row -> shardResult(index, row));
    }

    private static String shardRow(int index) {
        return SHARD + String.format(Locale.ROOT, "%06d", index);
    }

    private static ShardResult shardResult(int index, TableEntity row) {
        return new ShardResult(
                index,
                instant(row.getProperty("FinishedAt")),
                integer(row, "OrdersChecked"),
                integer(row, "Healthy"),
                integer(row, "AccessLost"),
                integer(row, "Rotated"),
                // Absent from the rows of runs before 2026-12-05.
                integer(row, "NotAudited"),
                // Absent from the rows of runs before 2026-12-07.
                integer(row, "Unreadable"));
    }

    @Override
    public void recordFinding(String runId, Finding finding) {
        // The tenant too: the timer's run audits every tenant, whose orders may share a name.
        grouped.upsert(new TableEntity(
                        runId,
                        FINDING
                                + finding.tenantId().value()
                                + TENANT_SEPARATOR
                                + finding.orderName().value())
                .addProperty("ErrorCode", finding.errorCode().name())
                .addProperty("Message", finding.message())
                .addProperty("Resolution", finding.resolution()));
    }

    /** The claim is an insert: of concurrent shards, exactly one creates the row. */
    @Override
    public boolean claimPairCheck(String runId, String pairKey) {
        String claimId = UUID.randomUUID().toString();
        try {
            grouped.create(new TableEntity(runId, PAIR + digest(pairKey))
                    .addProperty("Proven", false)
                    .addProperty(CLAIM_ID, claimId));
            return true;
        } catch (TableServiceException e) {
            if (status(e) == 409) {
                // The row may be this very claim, written by a first attempt whose answer was lost (the SDK
                // then sent it again): taken for another shard's, the pair would wait pairWait for nobody.
                return findPairRow(runId, pairKey)
                        .map(row -> claimId.equals(row.getProperty(CLAIM_ID)))
                        .orElse(false);
            }
            throw e;
        }
    }

    @Override
    public PairState pairState(String runId, String pairKey) {
        return findPairRow(runId, pairKey)
                .<PairState>map(row -> Boolean.TRUE.equals(row.getProperty("Proven"))
                        ? new PairState.Proven(new PairCheck(
                                errorCode(string(row, "ErrorCode")),
                                string(row, "Message"),
                                instant(row.getProperty("ProvenAt")),
                                string(row, "Resolution")))
                        : new PairState.Claimed())
                .orElseGet(PairState.Unclaimed::new);
    }

    /** Deletes the claim only as it was read: a proof recorded meanwhile stays. */
    @Override
    public void releasePairCheck(String runId, String pairKey) {
        findPairRow(runId, pairKey)
                .filter(row -> !Boolean.TRUE.equals(row.getProperty("Proven")))
                .ifPresent(claim ->
                        calls.deleteIfUnchanged(() -> table.deleteEntityWithResponse(claim, true, null, null)));
    }

    private Optional<TableEntity> findPairRow(String runId, String pairKey) {
        return calls.find(() -> table.getEntity(runId, PAIR + digest(pairKey)));
    }

    @Override
    public void recordPairCheck(String runId, String pairKey, PairCheck check) {
        TableEntity row = new TableEntity(runId, PAIR + digest(pairKey)).addProperty("Proven", true);
        if (check.provenAt() != null) {
            row.addProperty("ProvenAt", utc(check.provenAt()));
        }
        if (!check.healthy()) {
            row.addProperty("ErrorCode", check.errorCode().name()).addProperty("Message", check.message());
            if (check.resolution() != null) {
                row.addProperty("Resolution", check.resolution());
            }
        }
        grouped.upsert(row);
    }

    private static int status(TableServiceException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }

    @Override
    public Optional<AuditReport> report(String runId) {
        String partition = "PartitionKey eq '" + runId.replace("'", "''") + "'";
        TableEntity run = null;
        int shardsDone = 0;
        int checked = 0;
        int healthy = 0;
        int lost = 0;
        int rotated = 0;
        int notAudited = 0;
        int unreadable = 0;
        Instant finishedAt = null;
        Instant lastProgressAt = null;
        // The run, its shards' links and results only: not the findings nor the pairs' claims and verdicts,
        // either of which may be as many as the orders (each system-assigned identity is a pair of its own).
        List<TableEntity> rows = new ArrayList<>();
        for (String range : List.of(
                " and RowKey gt '" + LINK + "' and RowKey lt '" + AFTER_LINKS + "'", " and RowKey ge '" + RUN + "'")) {
            ListEntitiesOptions options = new ListEntitiesOptions().setFilter(partition + range);
            calls.iterator(() -> table.listEntities(options, null, null).iterator())
                    .forEachRemaining(rows::add);
        }
        for (TableEntity row : rows) {
            String rowKey = row.getRowKey();
            if (rowKey.equals(RUN)) {
                run = row;
            } else if (rowKey.startsWith(SHARD)) {
                ShardResult shard = shardResult(Integer.parseInt(rowKey.substring(SHARD.length())), row);
                shardsDone++;
                checked += shard.ordersChecked();
                healthy += shard.healthy();
                lost += shard.accessLost();
                rotated += shard.rotated();
                notAudited += shard.notAudited();
                unreadable += shard.unreadable();
                finishedAt = latest(finishedAt, shard.finishedAt());
                lastProgressAt = latest(lastProgressAt, shard.finishedAt());
            } else if (rowKey.startsWith(LINK)) {
                lastProgressAt = latest(lastProgressAt, instant(row.getProperty(LINKED_AT)));
            }
        }
        if (run == null) {
            return Optional.empty();
        }
        Integer shards = run.getProperty("Shards") instanceof Number n ? n.intValue() : null;
        Instant startedAt = instant(run.getProperty("StartedAt"));
        boolean done = shards != null && shardsDone >= shards;
        return Optional.of(new AuditReport(
                runId,
                done ? AuditReport.Status.Succeeded : AuditReport.Status.Running,
                startedAt,
                done ? (finishedAt == null ? startedAt : finishedAt) : null,
                shards == null ? 0 : shards,
                shardsDone,
                checked,
                healthy,
                lost,
                rotated,
                notAudited,
                unreadable,
                findings(partition),
                string(run, "TenantId"),
                latest(startedAt, lastProgressAt)));
    }

    /**
     * The run's first {@link AuditReport#MAX_FINDINGS} findings, by tenant and order name: a report is read at
     * every poll of a run, and a run over many orders that lost access would otherwise read and answer all
     * of them each time ({@code accessLost} counts them all).
     */
    private List<Finding> findings(String partition) {
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter(partition + " and RowKey gt '" + FINDING + "' and RowKey lt '" + AFTER_FINDINGS + "'")
                .setTop(AuditReport.MAX_FINDINGS);
        List<Finding> findings = new ArrayList<>();
        Iterator<TableEntity> rows =
                calls.iterator(() -> table.listEntities(options, null, null).iterator());
        while (findings.size() < AuditReport.MAX_FINDINGS && rows.hasNext()) {
            TableEntity row = rows.next();
            String owner = row.getRowKey().substring(FINDING.length());
            int separator = owner.indexOf(TENANT_SEPARATOR);
            findings.add(new Finding(
                    separator < 0 ? null : new TenantId(owner.substring(0, separator)),
                    new OrderName(owner.substring(separator + 1)),
                    errorCode(string(row, "ErrorCode")),
                    string(row, "Message"),
                    string(row, "Resolution")));
        }
        return findings;
    }

    @Override
    public List<StartedRun> startedBefore(Instant cutoff, int max) {
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter(
                        "PartitionKey eq '" + STARTED_PARTITION + "' and RowKey lt '" + STARTED_AT.format(cutoff) + "'")
                .setSelect(List.of("RowKey"))
                .setTop(max);
        List<StartedRun> started = new ArrayList<>();
        Iterator<TableEntity> rows =
                calls.iterator(() -> table.listEntities(options, null, null).iterator());
        while (started.size() < max && rows.hasNext()) {
            String rowKey = rows.next().getRowKey();
            int separator = rowKey.indexOf(STARTED_SEPARATOR);
            started.add(new StartedRun(
                    rowKey.substring(separator + 1), STARTED_AT.parse(rowKey.substring(0, separator), Instant::from)));
        }
        return started;
    }

    /** The index row of a run: its start (ISO 8601 to the millisecond, so sorting by time) and its ID. */
    private static String startedRow(String runId, Instant startedAt) {
        return STARTED_AT.format(startedAt) + STARTED_SEPARATOR + runId;
    }

    @Override
    public boolean delete(StartedRun run, BooleanSupplier timeIsUp) {
        String runId = run.runId();
        ListEntitiesOptions partition = new ListEntitiesOptions()
                .setFilter("PartitionKey eq '" + runId.replace("'", "''") + "'")
                .setSelect(List.of("RowKey"));
        // Deleted as read, a transaction at a time: a run of many orders has a row per pair and per finding, which
        // need not all be in memory at once (review rv4 M2). The run's own row last: a deletion cut short leaves
        // the run for the next one to find and finish.
        List<String> batch = new ArrayList<>(MAX_TRANSACTION);
        Iterator<TableEntity> rows =
                calls.iterator(() -> table.listEntities(partition, null, null).iterator());
        while (rows.hasNext()) {
            String rowKey = rows.next().getRowKey();
            if (!RUN.equals(rowKey)) {
                batch.add(rowKey);
            }
            if (batch.size() == MAX_TRANSACTION) {
                deleteRows(runId, batch);
                batch.clear();
                if (timeIsUp.getAsBoolean()) {
                    // A run of 100,000 orders with system-assigned identities has as many pair rows, some 1,000
                    // transactions, which the shard's message would wait for (review rv4 M2).
                    return false;
                }
            }
        }
        batch.add(RUN);
        deleteRows(runId, batch);
        calls.delete(() -> table.deleteEntity(STARTED_PARTITION, startedRow(runId, run.startedAt())));
        return true;
    }

    private void deleteRows(String runId, List<String> rowKeys) {
        List<TableTransactionAction> deletes = rowKeys.stream()
                .map(rowKey ->
                        new TableTransactionAction(TableTransactionActionType.DELETE, new TableEntity(runId, rowKey)))
                .toList();
        try {
            calls.run(() -> table.submitTransaction(deletes));
        } catch (TableTransactionFailedException e) {
            // A row already gone (another deletion of the same run): delete the rest one by one.
            deletes.forEach(delete -> calls.delete(() -> table.deleteEntity(delete.getEntity())));
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || b != null && b.isAfter(a) ? b : a;
    }

    /** A tenant's latest run: a row of its own partition, so that it is no run's. */
    private static String latestPartition(String tenantId) {
        return "tenant~" + tenantId;
    }

    @Override
    public Optional<LatestRun> latestRun(String tenantId) {
        return calls.find(() -> table.getEntity(latestPartition(tenantId), LATEST))
                .map(row -> new LatestRun(string(row, "RunId"), instant(row.getProperty("ClaimedAt")), row.getETag()));
    }

    @Override
    public boolean claimLatest(String tenantId, String runId, Instant claimedAt, Optional<LatestRun> seen) {
        TableEntity row = new TableEntity(latestPartition(tenantId), LATEST)
                .addProperty("RunId", runId)
                .addProperty("ClaimedAt", utc(claimedAt));
        try {
            if (seen.isEmpty()) {
                calls.run(() -> table.createEntity(row));
            } else {
                row.addProperty("odata.etag", seen.get().etag());
                calls.run(() -> table.updateEntityWithResponse(row, TableEntityUpdateMode.REPLACE, true, null, null));
            }
            return true;
        } catch (TableServiceException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            if (status == 409 || status == 412 || status == 404) {
                return false; // another start recorded its run first
            }
            throw e;
        }
    }

    /** Deletes the claim only as it was read: a start's claim made meanwhile stays. */
    @Override
    public void releaseLatest(String tenantId, String runId) {
        calls.find(() -> table.getEntity(latestPartition(tenantId), LATEST))
                .filter(row -> runId.equals(string(row, "RunId")))
                .ifPresent(claim ->
                        calls.deleteIfUnchanged(() -> table.deleteEntityWithResponse(claim, true, null, null)));
    }

    @Override
    public Optional<PlannedRun> planned(String runId) {
        return calls.find(() -> table.getEntity(runId, RUN))
                .map(run -> new PlannedRun(runId, string(run, "TenantId"), integer(run, "Shards")));
    }

    /** Row keys cannot hold '/', and key URLs and resource IDs are full of them. */
    private static String string(TableEntity row, String name) {
        Object value = row.getProperty(name);
        return value == null ? null : value.toString();
    }

    private static int integer(TableEntity row, String name) {
        return row.getProperty(name) instanceof Number n ? n.intValue() : 0;
    }

    private static ErrorCode errorCode(String name) {
        return name == null ? null : ErrorCode.valueOf(name);
    }
}
