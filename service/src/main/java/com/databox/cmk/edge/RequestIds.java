package com.databox.cmk.edge;

import com.databox.cmk.error.RequestInLog;
import com.databox.cmk.order.Guids;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * The request IDs every answer carries, as Azure Resource Manager's do: {@code x-ms-request-id}, new for
 * each request, {@code x-ms-correlation-request-id}, the caller's when it sent a GUID (the Azure SDKs send
 * one per logical operation, the same on every retry) and else the request's own, and
 * {@code x-ms-client-request-id} echoed when the caller sent one. The Azure SDKs log them and put them in
 * their errors, so a customer's report names the request an operator can find: the log lines a request
 * writes carry all three ({@link #MDC_KEY}, {@link #MDC_CORRELATION_KEY}, {@link #MDC_CLIENT_REQUEST_KEY}).
 */
@ApplicationScoped
public class RequestIds {
    /** Before every other route and filter (the edge's at 1000, the path check's at route order -1000). */
    private static final int PRIORITY = 2000;

    static final String REQUEST_ID = "x-ms-request-id";
    static final String CORRELATION_ID = "x-ms-correlation-request-id";
    static final String CLIENT_REQUEST_ID = "x-ms-client-request-id";
    /** The request's ID in the logging context, for the log lines its request writes. */
    static final String MDC_KEY = "requestId";
    /**
     * The IDs the customer holds, as answered: ARM's activity log shows the correlation ID, and an SDK's error
     * the client request ID. ARM's resource-provider contract asks that both be logged with the operation.
     */
    static final String MDC_CORRELATION_KEY = "correlationId";

    static final String MDC_CLIENT_REQUEST_KEY = "clientRequestId";

    /** Azure's own limit for a client request ID; a longer one (or one with control characters) is not echoed. */
    static final int MAX_CLIENT_REQUEST_ID = 1024;

    void register(@Observes Filters filters) {
        filters.register(
                context -> {
                    stamp(context.request(), context.response());
                    context.next();
                },
                PRIORITY);
    }

    /** Stamps the answer to {@code request}'s IDs and puts the request ID in the logging context. */
    static void stamp(HttpServerRequest request, HttpServerResponse response) {
        String requestId = UUID.randomUUID().toString();
        String sentCorrelation = request.getHeader(CORRELATION_ID);
        String correlation = isGuid(sentCorrelation) ? sentCorrelation : requestId;
        response.putHeader(REQUEST_ID, requestId);
        response.putHeader(CORRELATION_ID, correlation);
        MDC.put(MDC_KEY, requestId);
        MDC.put(MDC_CORRELATION_KEY, correlation);
        MDC.put(RequestInLog.METHOD, request.method().name());
        MDC.put(RequestInLog.PATH, request.path());
        // Each request's logging context is its own (Quarkus keeps it on the request's Vert.x context); removed
        // anyway, so that none of another request's values could ever be logged for this one.
        MDC.remove(RequestInLog.TENANT);
        MDC.remove(RequestInLog.TOKEN_REFUSED);
        String clientRequestId = request.getHeader(CLIENT_REQUEST_ID);
        if (clientRequestId != null && isEchoable(clientRequestId)) {
            response.putHeader(CLIENT_REQUEST_ID, clientRequestId);
            MDC.put(MDC_CLIENT_REQUEST_KEY, inLog(clientRequestId));
        } else {
            MDC.remove(MDC_CLIENT_REQUEST_KEY);
        }
    }

    /**
     * The client request ID as log lines carry it: as sent when it is one word without quotes or backslashes (a
     * GUID, an SDK's ID), else in double quotes with {@code "} and {@code \} escaped. Any caller sends it, before
     * its token is checked, and as sent it could write what reads as another line's level, tenant and message
     * after the IDs (bug bash ob1 F4); quoted, it reads as one value, and a value as sent never starts with a quote.
     * The answer echoes it as sent.
     */
    static String inLog(String clientRequestId) {
        if (clientRequestId.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            return clientRequestId;
        }
        return '"' + clientRequestId.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A GUID in any case (the SDKs send lower case, other clients may not). */
    private static boolean isGuid(String text) {
        return Guids.isGuidInAnyCase(text);
    }

    static boolean isEchoable(String clientRequestId) {
        if (clientRequestId.isEmpty() || clientRequestId.length() > MAX_CLIENT_REQUEST_ID) {
            return false;
        }
        return clientRequestId.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
