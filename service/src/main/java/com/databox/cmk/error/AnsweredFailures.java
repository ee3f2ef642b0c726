package com.databox.cmk.error;

import org.jboss.logging.Logger;

/**
 * What the operators see of a failure a request is answered with: the service's own fault with its
 * cause, an outage (Key Vault, Storage, Resource Manager, Entra ID) as a warning with its code and message,
 * nothing of a client's mistake (a deleted identity, a key without the permission: the caller's answer).
 * The SDKs' own logs of failed calls are off (application.properties): they logged every customer's
 * mistake as an ERROR with its stack trace.
 */
public final class AnsweredFailures {
    private static final Logger LOG = Logger.getLogger(AnsweredFailures.class);

    private AnsweredFailures() {}

    public static void log(ServiceException e) {
        if (e.code() == ErrorCode.InternalError) {
            LOG.errorf(e.getCause(), "Internal error: %s", e.getMessage());
        } else if (e.code().isTransient()) {
            LOG.warnf(
                    "%s: %s%s",
                    e.code(),
                    e.getMessage(),
                    e.getCause() == null
                            ? ""
                            : " (" + e.getCause().getClass().getSimpleName() + ": "
                                    + e.getCause().getMessage() + ")");
        }
    }
}
