package com.databox.cmk.jobs;

/**
 * The Data Box jobs surface's own error codes (DATABOX-ARM-API.md, "Errors"), each with the one kind of failure, and so
 * the one status, it answers: a code is never paired with another (review rv5 M10; they were free strings beside a
 * kind chosen at each use). The domain's codes ({@code SsemUserError…}, {@code OrderInTerminalStage}, …) keep theirs.
 */
public enum JobErrorCode {
    InvalidRequestContent(JobException.Kind.Invalid),
    InvalidResourceName(JobException.Kind.Invalid),
    InvalidSubscriptionId(JobException.Kind.Invalid),
    InvalidResourceGroupName(JobException.Kind.Invalid),
    InvalidTagNameCharacters(JobException.Kind.Invalid),
    MissingApiVersionParameter(JobException.Kind.Invalid),
    InvalidApiVersionParameter(JobException.Kind.Invalid),
    AuthenticationFailed(JobException.Kind.Unauthorized),
    AuthorizationFailed(JobException.Kind.Forbidden),
    ResourceNotFound(JobException.Kind.NotFound),
    InvalidResourceType(JobException.Kind.NotFound),
    OperationNotFound(JobException.Kind.NotFound),
    SubscriptionNotFound(JobException.Kind.NotFound),
    JobAlreadyExists(JobException.Kind.Conflict),
    Conflict(JobException.Kind.Conflict),
    AnotherOperationInProgress(JobException.Kind.Conflict),
    JobNotDeletable(JobException.Kind.Conflict),
    JobNotCancellable(JobException.Kind.Conflict),
    MitigationNotRequired(JobException.Kind.Conflict),
    PreconditionFailed(JobException.Kind.Stale);

    private final JobException.Kind kind;

    JobErrorCode(JobException.Kind kind) {
        this.kind = kind;
    }

    public JobException.Kind kind() {
        return kind;
    }
}
