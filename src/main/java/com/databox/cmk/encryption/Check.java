package com.databox.cmk.encryption;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;

/** One requirement's outcome in a validation report. */
public record Check(String name, Status status, String detail, ErrorCode errorCode, String message, String target) {
    public enum Status { Passed, Failed, Skipped }

    public static Check passed(String name, String detail) {
        return new Check(name, Status.Passed, detail, null, null, null);
    }

    public static Check failed(String name, ServiceException cause) {
        return new Check(name, Status.Failed, null, cause.code(), cause.getMessage(), cause.target());
    }

    public static Check failed(String name, ErrorCode code, String message, String target) {
        return new Check(name, Status.Failed, null, code, message, target);
    }

    public static Check skipped(String name) {
        return new Check(name, Status.Skipped, null, null, null, null);
    }

    public boolean isFailed() {
        return status == Status.Failed;
    }

    public ServiceException toException() {
        return new ServiceException(errorCode, message, target);
    }
}
