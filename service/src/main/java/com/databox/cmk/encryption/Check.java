package com.databox.cmk.encryption;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;

/**
 * One requirement's outcome in a validation report. {@code cause} keeps the failure as it was
 * raised (with its Retry-After, for instance), when there was one.
 */
public record Check(
        String name,
        Status status,
        String detail,
        ErrorCode errorCode,
        String message,
        String target,
        ServiceException cause) {
    public enum Status {
        Passed,
        Failed,
        Skipped
    }

    public static Check passed(String name, String detail) {
        return new Check(name, Status.Passed, detail, null, null, null, null);
    }

    public static Check failed(String name, ServiceException cause) {
        return new Check(name, Status.Failed, null, cause.code(), cause.getMessage(), cause.target(), cause);
    }

    public static Check failed(String name, ErrorCode code, String message, String target) {
        return new Check(name, Status.Failed, null, code, message, target, null);
    }

    public static Check skipped(String name) {
        return new Check(name, Status.Skipped, null, null, null, null, null);
    }

    public boolean isFailed() {
        return status == Status.Failed;
    }

    public ServiceException toException() {
        return cause != null ? cause : new ServiceException(errorCode, message, target);
    }
}
