package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import java.time.Instant;

/** The result of the last check that the order's key can still be used; {@code errorCode} is null unless access is lost. */
public record KeyHealth(Status status, ErrorCode errorCode, String message, Instant lastCheckedAt) {
    public enum Status {
        Healthy,
        AccessLost,
        Unknown
    }

    public static final KeyHealth UNKNOWN = new KeyHealth(Status.Unknown, null, null, null);

    public static KeyHealth healthy(Instant at) {
        return new KeyHealth(Status.Healthy, null, null, at);
    }

    public static KeyHealth accessLost(ErrorCode code, String message, Instant at) {
        return new KeyHealth(Status.AccessLost, code, message, at);
    }

    /** The same finding, whenever it was made: a check that finds what is stored changes nothing. */
    public boolean sameFindingAs(KeyHealth other) {
        return other != null
                && status == other.status
                && errorCode == other.errorCode
                && java.util.Objects.equals(message, other.message);
    }
}
