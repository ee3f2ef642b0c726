package com.databox.cmk.audit;

/** Key Vault could not give a verdict now (throttled or down): the order is checked again next run. */
final class TransientAuditFailure extends RuntimeException {
    TransientAuditFailure(String message) {
        super(message, null, false, false);
    }
}
