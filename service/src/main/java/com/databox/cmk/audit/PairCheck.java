package com.databox.cmk.audit;

import com.databox.cmk.error.ErrorCode;

/**
 * The outcome of proving Get, WrapKey and UnwrapKey for one (key version, identity) pair,
 * shared by every order of the run that uses the pair. {@code errorCode} is null when healthy.
 */
public record PairCheck(ErrorCode errorCode, String message) {
    public static final PairCheck HEALTHY = new PairCheck(null, null);

    public boolean healthy() {
        return errorCode == null;
    }
}
