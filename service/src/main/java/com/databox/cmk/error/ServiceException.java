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
    private final String resolution;

    public ServiceException(ErrorCode code, String message, String target) {
        this(code, message, target, null, null);
    }

    public ServiceException(ErrorCode code, String message, String target, Duration retryAfter, Throwable cause) {
        this(code, message, target, retryAfter, cause, null);
    }

    /**
     * @param resolution what the user can do in this very case, when the code's general
     *     resolution is not precise enough (a key operation to allow, say); null for the code's own
     */
    public ServiceException(
            ErrorCode code, String message, String target, Duration retryAfter, Throwable cause, String resolution) {
        super(message, cause, false, false);
        this.code = code;
        this.target = target;
        this.retryAfter = retryAfter;
        this.resolution = resolution;
    }

    /**
     * The service's own key (the Microsoft-managed key) refused for a reason that is not an outage: the
     * service's to fix, not the customer's, so never one of the customer's codes, and no order is held or found
     * without key access for it; the message names no URL of the service's vault (ERRORS.md).
     */
    public static ServiceException ownKeyUnusable(ErrorCode why, Throwable cause) {
        return new ServiceException(
                ErrorCode.InternalError, "The service could not use its own key (" + why + ").", null, null, cause);
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

    /**
     * When the caller may retry: set for the outages ({@code KeyVaultUnavailable}, {@code StorageUnavailable},
     * {@code ResourceManagerUnavailable}, {@code IdentityProviderUnavailable}) and for {@code OrderChangedConcurrently};
     * null otherwise.
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** What the user can do in this very case, when more precise than the code's own; null otherwise. */
    public String specificResolution() {
        return resolution;
    }

    public String resolution() {
        return resolution != null ? resolution : code.resolution();
    }
}
