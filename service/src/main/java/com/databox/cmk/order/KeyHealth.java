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

    /**
     * The same status and code, whatever the message says: what the audit compares. Its message is the vault's or
     * the directory's words for the one pair, which may differ from run to run (a request ID, a time) where the
     * finding does not, and an hourly audit that rewrote every order for them would write every order each hour
     * (issue 16: writes only when something changed). A validate asked for by the customer compares the message too
     * ({@link #sameFindingAs}), so that the words the customer reads are those of the check just made.
     */
    public boolean sameVerdictAs(Status otherStatus, ErrorCode otherCode) {
        return status == otherStatus && errorCode == otherCode;
    }

    /** The same finding, whenever it was made: a check that finds what is stored changes nothing. */
    public boolean sameFindingAs(KeyHealth other) {
        return other != null
                && status == other.status
                && errorCode == other.errorCode
                && java.util.Objects.equals(message, other.message);
    }
}
