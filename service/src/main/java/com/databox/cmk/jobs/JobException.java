package com.databox.cmk.jobs;

/**
 * A failure of the jobs surface with an ARM error code (DATABOX-ARM-API.md, "Errors"). The
 * HTTP status follows from {@link Kind} at the HTTP edge. Domain failures keep their own
 * {@code ServiceException} and code.
 */
public class JobException extends RuntimeException {
    public enum Kind {
        Invalid,
        NotFound,
        Conflict,
        Stale,
        Unauthorized,
        Forbidden
    }

    private final Kind kind;
    private final String code;
    private final String target;

    public JobException(Kind kind, String code, String message, String target) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.target = target;
    }

    public static JobException invalid(String message, String target) {
        return new JobException(Kind.Invalid, "InvalidRequestContent", message, target);
    }

    /** {@code 412}: the job's {@code If-Match} did not hold. */
    public static JobException preconditionFailed(String message) {
        return new JobException(Kind.Stale, "PreconditionFailed", message, "If-Match");
    }

    public static JobException notFound(JobKey key) {
        return new JobException(
                Kind.NotFound,
                "ResourceNotFound",
                "The Resource 'Microsoft.DataBox/jobs/" + key.name() + "' under resource group '" + key.resourceGroup()
                        + "' was not found.",
                "jobName");
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String target() {
        return target;
    }
}
