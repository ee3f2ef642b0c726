package com.databox.cmk.jobs;

import java.time.Instant;

/**
 * A long-running operation of the ARM surface, as its operation-status resource shows it.
 * {@code status} is {@code Succeeded}, {@code Failed} or {@code Canceled} (ARM's terminal
 * states); {@code errorCode}/{@code errorMessage} are set when it failed.
 */
public record JobOperation(
        String id,
        String subscriptionId,
        String location,
        String jobResourceId,
        String kind,
        String status,
        Instant startTime,
        Instant endTime,
        String errorCode,
        String errorMessage) {}
