package com.databox.cmk.order;

import java.time.Instant;

/** The result of the last check that the order's key can still be used. */
public record KeyHealth(Status status, String errorCode, String message, Instant lastCheckedAt) {
    public enum Status { Healthy, AccessLost, Unknown }

    public static final KeyHealth UNKNOWN = new KeyHealth(Status.Unknown, null, null, null);
}
