package com.databox.cmk.jobs;

/**
 * A failure of the jobs surface with an ARM error code (DATABOX-ARM-API.md, "Errors"). The
 * HTTP status follows from its code's {@link Kind} at the HTTP edge. Domain failures keep their own
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

    private final JobErrorCode code;
    private final String target;

    public JobException(JobErrorCode code, String message, String target) {
        super(message, null, false, false);
        this.code = code;
        this.target = target;
    }

    public static JobException invalid(String message, String target) {
        return new JobException(JobErrorCode.InvalidRequestContent, message, target);
    }

    /** {@code 412}: the job's {@code If-Match} did not hold. */
    public static JobException preconditionFailed(String message) {
        return new JobException(JobErrorCode.PreconditionFailed, message, "If-Match");
    }

    public static JobException notFound(JobKey key) {
        return new JobException(
                JobErrorCode.ResourceNotFound,
                "The Resource 'Microsoft.DataBox/jobs/" + key.name() + "' under resource group '" + key.resourceGroup()
                        + "' was not found.",
                "jobName");
    }

    public Kind kind() {
        return code.kind();
    }

    public JobErrorCode code() {
        return code;
    }

    public String target() {
        return target;
    }
}
