package com.databox.cmk.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where the ARM surface keeps its jobs' ARM-only data and its operations. Lookups ignore case, as ARM does. */
public interface JobRecords {
    Optional<JobRecord> find(JobKey key);

    /** @throws JobException of kind Conflict if a record for the key exists */
    JobRecord insert(JobRecord record);

    /** Replaces the record only if its stored ETag is still {@code record.etag()}; @throws JobException of kind Stale otherwise. */
    JobRecord replace(JobRecord record);

    void delete(JobKey key);

    /** Deletes the record only if its stored ETag is still {@code record.etag()}; false if it changed (a record gone is deleted). */
    boolean deleteIfUnchanged(JobRecord record);

    /** Up to {@code top} records of the subscription (and resource group, when not null), after {@code after} (null: the first). */
    Page list(String subscriptionId, String resourceGroup, int top, String after);

    /**
     * The tenant the subscription belongs to: the one already bound, or {@code tenantId}, bound now
     * (by the subscription's first job, as registering the resource provider binds it in ARM).
     */
    String bindSubscription(String subscriptionId, String tenantId);

    /** The tenant bound to the subscription, if any job was ever created in it. */
    Optional<String> subscriptionTenant(String subscriptionId);

    void saveOperation(JobOperation operation);

    Optional<JobOperation> findOperation(String subscriptionId, String operationId);

    /** Deletes up to {@code max} operations, of any subscription, that ended before {@code cutoff}; @return how many */
    int deleteOperationsEndedBefore(Instant cutoff, int max);

    /** One page; {@code continuation} is null on the last. */
    record Page(List<JobRecord> records, String continuation) {}
}
