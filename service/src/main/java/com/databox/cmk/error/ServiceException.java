package com.databox.cmk.error;

import java.time.Duration;

/**
 * A failure the caller is told about with one of the contract's codes. The message must
 * never hold key material, tokens or connection strings.
 */
public class ServiceException extends RuntimeException {
    private final ErrorCode code;
    private final String target;
    private final Duration retryAfter;

    public ServiceException(ErrorCode code, String message, String target) {
        this(code, message, target, null, null);
    }

    public ServiceException(ErrorCode code, String message, String target, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.target = target;
        this.retryAfter = retryAfter;
    }

    public static ServiceException invalidRequest(String message, String target) {
        return new ServiceException(ErrorCode.InvalidRequest, message, target);
    }

    public ErrorCode code() {
        return code;
    }

    public String target() {
        return target;
    }

    /** When the caller may retry, for {@link ErrorCode#KeyVaultUnavailable}; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public String resolution() {
        return code.resolution();
    }
}
