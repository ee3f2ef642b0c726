package com.databox.cmk.jobs;

import java.time.Instant;

/**
 * What the ARM surface keeps of a job besides its order: ARM-only data, never on the order
 * aggregate. {@code tags}, {@code sku} and {@code properties} are JSON text as the caller gave
 * them ({@code properties} without what the service models: status, the key, read-only fields).
 * {@code state} is {@code Creating} until the order exists, then {@code Succeeded}.
 */
public record JobRecord(
        JobKey key,
        String orderName,
        String state,
        String tenantId,
        String tags,
        String sku,
        String properties,
        JobCaller createdBy,
        Instant createdAt,
        JobCaller lastModifiedBy,
        Instant lastModifiedAt,
        String etag) {

    public static final String CREATING = "Creating";
    public static final String SUCCEEDED = "Succeeded";

    public boolean created() {
        return SUCCEEDED.equals(state);
    }

    public JobRecord withState(String newState) {
        return new JobRecord(
                key,
                orderName,
                newState,
                tenantId,
                tags,
                sku,
                properties,
                createdBy,
                createdAt,
                lastModifiedBy,
                lastModifiedAt,
                etag);
    }

    public JobRecord modified(String newTags, String newProperties, JobCaller by, Instant at) {
        return new JobRecord(
                key, orderName, state, tenantId, newTags, sku, newProperties, createdBy, createdAt, by, at, etag);
    }
}
