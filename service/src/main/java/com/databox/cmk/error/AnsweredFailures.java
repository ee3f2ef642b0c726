package com.databox.cmk.error;

import org.jboss.logging.Logger;

/**
 * What the operators see of a failure a request is answered with: the service's own fault with its
 * cause, an outage (Key Vault, Storage, Resource Manager, Entra ID) as a warning with its code and message,
 * nothing of a client's mistake (a deleted identity, a key without the permission: the caller's answer).
 * Within a request, each line names it and its caller's tenant ({@link RequestInLog}): one vault's outage
 * fails many customers' orders, which the key URL alone does not tell apart.
 * The SDKs' own logs of failed calls are off (application.properties): they logged every customer's
 * mistake as an ERROR with its stack trace. A cause is logged {@link FailuresInLog#trimmed}: one stack, not one a
 * retry.
 */
public final class AnsweredFailures {
    private static final Logger LOG = Logger.getLogger(AnsweredFailures.class);

    private AnsweredFailures() {}

    public static void log(ServiceException e) {
        if (e.code() == ErrorCode.InternalError) {
            LOG.errorf(
                    FailuresInLog.trimmed(e.getCause()),
                    "Internal error%s: %s",
                    RequestInLog.described(),
                    e.getMessage());
        } else if (e.code().isTransient()) {
            LOG.warnf(
                    "%s%s: %s%s",
                    e.code(),
                    RequestInLog.described(),
                    e.getMessage(),
                    e.getCause() == null
                            ? ""
                            : " (" + e.getCause().getClass().getSimpleName() + ": "
                                    + FailuresInLog.withoutQueryValues(
                                            e.getCause().getMessage()) + ")");
        }
    }
}
