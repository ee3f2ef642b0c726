package com.databox.cmk.jobs;

import com.databox.cmk.order.IfMatch;
import java.util.List;

/**
 * A PUT's {@code If-None-Match} (RFC 9110, 13.1.2), read as /api/orders reads it (API.md, "The order
 * resource"): {@code *} matches a job that exists or is being created, a list of entity tags the job whose ETag
 * is one of them, compared weakly ({@code W/"x"} and {@code "x"} are one tag). Sent empty, it is refused.
 */
record IfNoneMatch(List<String> opaqueTags) {
    static final String HEADER = "If-None-Match";

    /** Null when the header is absent. */
    static IfNoneMatch of(String header) {
        if (header == null) {
            return null;
        }
        List<String> tags = IfMatch.opaqueTags(header);
        if (tags.isEmpty()) {
            throw JobException.invalid(
                    "The If-None-Match header is empty: send * (only if the job does not exist) or the ETags of "
                            + "versions already held, or leave the header out.",
                    HEADER);
        }
        return new IfNoneMatch(tags);
    }

    /** Whether it asks that the job not exist at all: one being created, by this request's twin too, fails it. */
    boolean any() {
        return opaqueTags.contains("*");
    }

    boolean matches(JobView job) {
        return any() || opaqueTags.contains(IfMatch.opaque(job.etag()));
    }

    /** {@code 412}, nothing changed. */
    JobException refusal(JobKey key) {
        return new JobException(
                JobErrorCode.PreconditionFailed,
                any()
                        ? "The job '" + key.name() + "' exists, and If-None-Match: * asks that it not; nothing changed."
                        : "The job '" + key.name() + "' is at a version If-None-Match names; nothing changed.",
                HEADER);
    }
}
