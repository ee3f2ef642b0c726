package com.databox.cmk.jobs;

import java.time.Instant;

/**
 * A long-running operation of the ARM surface, as its operation-status resource shows it.
 * {@code status} is {@code Succeeded}, {@code Failed} or {@code Canceled} (ARM's terminal
 * states); {@code errorCode}/{@code errorMessage} are set when it failed. {@code jobOrderName} is the order
 * name of the job's record when the operation ran, which a job created again under the same name never shares
 * (null in an operation recorded before 2026-12-06).
 */
public record JobOperation(
        String id,
        String subscriptionId,
        String location,
        String jobResourceId,
        String jobOrderName,
        String kind,
        String status,
        Instant startTime,
        Instant endTime,
        String errorCode,
        String errorMessage) {

    /** The job the operation was about. */
    public JobKey jobKey() {
        return JobKey.ofResourceId(jobResourceId);
    }
}
