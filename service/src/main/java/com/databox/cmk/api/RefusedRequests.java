package com.databox.cmk.api;

import com.databox.cmk.error.RequestInLog;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * One INFO line for each request the service refuses with a {@code 4xx}, on the {@code /api} routes and
 * the jobs routes alike: the method, the path (never the query), the status and the error code; the
 * log format adds the request's IDs. A customer who quotes the ID of a {@code 409} or {@code 412} then
 * finds the request, which otherwise left no line at all. Nothing of the body, the token or any other
 * header; the caller's tenant once its token was verified. Answers below {@code 400} are not logged (the benchmark measures each request's cost), nor
 * the {@code 5xx}, which {@code error/AnsweredFailures} logs with their cause.
 */
@Provider
// Response filters run from the highest priority down: this one after the jobs routes' envelope, so it
// logs the code the caller was answered with.
@Priority(Priorities.USER - 100)
public class RefusedRequests implements ContainerResponseFilter {
    private static final Logger LOG = Logger.getLogger(RefusedRequests.class);

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || status >= 500) {
            return;
        }
        log(request.getMethod(), request.getUriInfo().getRequestUri().getRawPath(), status, code(response));
    }

    /** The line of a refusal, also for those answered before the REST layer (edge/EdgeFilter, CanonicalPaths). */
    public static void log(String method, String rawPath, int status, String code) {
        LOG.infof(
                "Refused %s %s: %s %s%s%s",
                method,
                RequestInLog.loggable(rawPath),
                status,
                code,
                RequestInLog.tenantNamed(),
                status == 401 ? RequestInLog.tokenRefusalNamed() : "");
    }

    /** The code of the contract's error body or of ARM's envelope; none for an answer without either. */
    private static String code(ContainerResponseContext response) {
        Object entity = response.getEntity();
        if (entity instanceof ErrorJson error) {
            return error.error().code();
        }
        if (entity instanceof JsonNode envelope
                && envelope.path("error").path("code").isTextual()) {
            return envelope.path("error").path("code").asText();
        }
        return "(no error code)";
    }
}
