package com.databox.cmk.audit;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.KeyHealth;
import java.time.Instant;

/**
 * The outcome of proving Get, WrapKey and UnwrapKey for one (key version, identity) pair,
 * shared by every order of the run that uses the pair. {@code errorCode} is null when healthy.
 * {@code provenAt}: when the proof began; an order checked after it (a validate meanwhile) has a
 * newer health than this verdict. Null for a verdict that is not shared (the order's own).
 * {@code resolution}: the check's own advice when more precise than its code's; null otherwise.
 */
public record PairCheck(ErrorCode errorCode, String message, Instant provenAt, String resolution) {
    public static final PairCheck HEALTHY = new PairCheck(null, null);

    public PairCheck(ErrorCode errorCode, String message) {
        this(errorCode, message, null, null);
    }

    public PairCheck(ErrorCode errorCode, String message, Instant provenAt) {
        this(errorCode, message, provenAt, null);
    }

    /** The check's own advice when it was more precise than its code's (which key operation to allow, say). */
    public String resolutionText() {
        return resolution != null ? resolution : errorCode.resolution();
    }

    public boolean healthy() {
        return errorCode == null;
    }

    /** Whether {@code health} was found after this verdict was proven. */
    public boolean olderThan(KeyHealth health) {
        return provenAt != null
                && health.lastCheckedAt() != null
                && health.lastCheckedAt().isAfter(provenAt);
    }
}
