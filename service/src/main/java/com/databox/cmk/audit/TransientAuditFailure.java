package com.databox.cmk.audit;

import com.databox.cmk.error.ErrorCode;

/**
 * No verdict now (Key Vault or Resource Manager throttling or down, or not called: {@link ShardOutages}): the order
 * is checked again next run. {@code code}: the outage's, which tells whose it was.
 */
final class TransientAuditFailure extends RuntimeException {
    private final ErrorCode code;

    TransientAuditFailure(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
