package com.databox.cmk.edge;

import com.databox.cmk.api.ErrorJson;
import com.databox.cmk.api.JsonContentType;
import com.databox.cmk.api.RefusedRequests;
import com.databox.cmk.api.RequestLimits;
import com.databox.cmk.app.CmkConfig;
import com.databox.cmk.error.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs first for every request (after {@link RequestIds}), on the event loop: refuses what is too
 * large before anything reads it, reads the body within a deadline, stamps the deadline of the request's Key Vault calls, and
 * counts the request while it is in flight. The HTTP codec's own limits
 * ({@code quarkus.http.limits.*}) sit above these and answer without a body; these answer in the
 * contract's shape.
 */
@ApplicationScoped
public class EdgeFilter {
    /** The request line: method, target and version, without the line end. */
    public static final int MAX_REQUEST_LINE = 4096;
    /** All header lines together, each counted as {@code name: value} and its line end. */
    public static final int MAX_HEADER_BYTES = 8192;

    private static final Logger LOG = Logger.getLogger(EdgeFilter.class);
    /** Before Quarkus's own body-size check (route order -2) and everything else. */
    private static final int PRIORITY = 1000;

    private static final int MAX_LOGGED_PATH = 200;

    @Inject
    CmkConfig config;

    @Inject
    InFlightRequests inFlight;

    /** Looked up on a refusal only, so that building the filter does not build the mapper (FirstRequestWarmUp). */
    @Inject
    Instance<ObjectMapper> json;

    @Inject
    Vertx vertx;

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void registerMalformed(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::malformed);
    }

    /**
     * A request the router fails before any handler runs: Vert.x's own checks of the request, such as an
     * HTTP/1.1 request without {@code Host} (RFC 9112, 3.2), answered by Quarkus's error page with the
     * exception and its "stack". A client's mistake, in the contract's shape; every other failure goes on
     * to the handlers after this one.
     */
    void malformed(RoutingContext context) {
        if (context.statusCode() != 400 || context.response().headWritten()) {
            context.next();
            return;
        }
        if (context.request().authority() == null) {
            refuse(context, 400, "The request has no Host header.", "Host");
        } else {
            refuse(context, 400, "The request could not be read as HTTP.", "request");
        }
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.authority() == null) {
            // HTTP/1.0 without Host, which Vert.x's router lets through (an HTTP/1.1 one it fails, below): no
            // absolute URL of the request can be made, which filters and Location headers need (a 500 before).
            refuse(context, 400, "The request has no Host header.", "Host");
            return;
        }
        if (requestLineLength(request) > MAX_REQUEST_LINE) {
            refuse(context, 414, "The request line is longer than " + MAX_REQUEST_LINE + " bytes.", "uri");
            return;
        }
        if (headerBytes(request) > MAX_HEADER_BYTES) {
            refuse(
                    context,
                    431,
                    "The request headers are larger than " + MAX_HEADER_BYTES + " bytes in all.",
                    "headers");
            return;
        }
        if (announcedLength(request) > RequestLimits.MAX_BODY_BYTES) {
            refuse(context, 413, tooLarge(), "body");
            return;
        }
        if (request.headers().getAll(HttpHeaders.AUTHORIZATION).size() > 1) {
            // Not a list header (RFC 9110, 5.3): the token reader took the first line, so which caller the request
            // was served as depended on the order the client wrote them in.
            refuse(context, 400, "The request has more than one Authorization header.", AUTHORIZATION);
            return;
        }
        oneSpaceAfterBearer(request);
        inFlight.started();
        context.addEndHandler(ended -> inFlight.ended());
        if (context.normalizedPath().startsWith("/api/")) {
            context.put(
                    RequestDeadlines.KEY, Instant.now().plus(config.keyvault().requestDeadline()));
        }
        if (hasBodyToCome(request)) {
            readBody(context);
        } else {
            context.next();
        }
    }

    /**
     * Reads the body here, on the event loop, before the app sees the request: the app's routes are
     * blocking and would otherwise read it on a worker thread, which a slow client then holds for as
     * long as it trickles (issue #15). The app reads the buffered body instead. A body not all there
     * by the deadline ends the request with 408, one over the size limit with 413; both close the
     * connection, since the rest of the body is never read.
     */
    private void readBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        Duration timeout = config.http().bodyTimeout();
        Buffer body = Buffer.buffer();
        boolean[] settled = {false};
        inFlight.awaitingBody();
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), fired -> {
            if (settle(settled)) {
                LOG.warnf(
                        "%s %s did not send its whole body within %s; answered 408 and closed the connection",
                        request.method(), loggable(context.normalizedPath()), timeout);
                context.response().putHeader(HttpHeaders.CONNECTION, "close");
                write(context, 408, "The request body did not arrive within " + timeout.toSeconds() + " s.", "body")
                        .onComplete(written -> closeConnection(request));
            }
        });
        request.handler(chunk -> {
            if (settled[0]) {
                return;
            }
            if (body.length() + chunk.length() > RequestLimits.MAX_BODY_BYTES) {
                vertx.cancelTimer(timer);
                settle(settled);
                refuse(context, 413, tooLarge(), "body");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (settle(settled)) {
                vertx.cancelTimer(timer);
                context.setBody(body);
                context.next();
            }
        });
        // The client went away before its body was all there.
        context.addEndHandler(ended -> {
            if (settle(settled)) {
                vertx.cancelTimer(timer);
            }
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            // The client waits for this before it sends the body; the app would have sent it on reading.
            context.response().writeContinue();
        }
        request.resume();
    }

    /** Settles the body's wait once: true for the first caller, who decides how it ends. */
    private boolean settle(boolean[] settled) {
        if (settled[0]) {
            return false;
        }
        settled[0] = true;
        inFlight.bodyDone();
        return true;
    }

    private static String tooLarge() {
        return "The request body is larger than " + RequestLimits.MAX_BODY_BYTES + " bytes.";
    }

    private void refuse(RoutingContext context, int status, String message, String target) {
        HttpServerRequest request = context.request();
        RefusedRequests.log(request.method().name(), request.path(), status, ErrorCode.InvalidRequest.name());
        boolean unreadBody = !request.isEnded() && announcesBody(request);
        if (unreadBody) {
            // The body stays unread; the connection cannot be reused after it.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        write(context, status, message, target).onComplete(written -> {
            if (unreadBody) {
                closeAfterBody(request);
            }
        });
    }

    /** A refused body up to this size is read to its end (and dropped) before the connection closes. */
    public static final long MAX_DRAINED_BYTES = 256 * 1024;

    /**
     * Closes the connection of a refused request once its body is in, when that body is small enough
     * to read (and drop): an announced length over {@link #MAX_DRAINED_BYTES} at once, more bytes than
     * that as soon as they come, a body that does not end at the body timeout.
     * Closing with bytes left unread makes the kernel reset the connection, and a client still
     * sending its body then lost the answer with it (a PUT of 89 KB, answered 413, seen as no answer).
     */
    private void closeAfterBody(HttpServerRequest request) {
        if (request.isEnded() || announcedLength(request) > MAX_DRAINED_BYTES) {
            closeConnection(request);
            return;
        }
        long timer =
                vertx.setTimer(Math.max(1, config.http().bodyTimeout().toMillis()), fired -> closeConnection(request));
        long[] drained = {0};
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > MAX_DRAINED_BYTES) {
                vertx.cancelTimer(timer);
                closeConnection(request);
            }
        });
        request.endHandler(end -> {
            vertx.cancelTimer(timer);
            closeConnection(request);
        });
        request.resume();
    }

    private Future<Void> write(RoutingContext context, int status, String message, String target) {
        String resolution = resolution(status, target);
        String body;
        try {
            body = json.get()
                    .writeValueAsString(new ErrorJson(
                            new ErrorJson.Detail(ErrorCode.InvalidRequest.name(), message, target, resolution)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return context.response()
                .setStatusCode(status)
                .putHeader(JsonContentType.HEADER, JsonContentType.JSON)
                .end(body);
    }

    /** By status, but for the two refusals whose status other refusals share. */
    private static String resolution(int status, String target) {
        if (status == 413) {
            return ErrorCode.PayloadTooLarge.resolution();
        }
        if (AUTHORIZATION.equals(target)) {
            return ONE_AUTHORIZATION;
        }
        return RESOLUTIONS.get(status);
    }

    private static final String AUTHORIZATION = "Authorization";
    private static final String ONE_AUTHORIZATION = "Send one Authorization header: Bearer and the caller's token.";

    private static final Map<Integer, String> RESOLUTIONS = Map.of(
            400, "Send a well-formed HTTP/1.1 request, with the Host header (the host and port it is addressed to).",
            408, "Send the whole request body without pausing, then retry.",
            414, "Shorten the URL: order names and query values are short in this API.",
            431, "Send fewer or shorter headers (" + MAX_HEADER_BYTES + " bytes in all at most).");

    private static void closeConnection(HttpServerRequest request) {
        if (request.connection() != null) {
            request.connection().close();
        }
    }

    /**
     * RFC 9110 (11.4) allows several spaces between an authorization scheme and its credentials; the token's
     * reader takes exactly one ({@code Bearer  <token>} was refused 401, while {@code bearer <token>} passed).
     */
    private static void oneSpaceAfterBearer(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        int scheme = "Bearer".length();
        if (authorization != null
                && authorization.length() > scheme + 1
                && authorization.regionMatches(true, 0, "Bearer  ", 0, scheme + 2)) {
            request.headers()
                    .set(
                            HttpHeaders.AUTHORIZATION,
                            "Bearer " + authorization.substring(scheme).strip());
        }
    }

    private static int requestLineLength(HttpServerRequest request) {
        // "GET /api/orders HTTP/1.1": the version is 8 characters.
        return request.method().name().length() + 1 + request.uri().length() + 1 + 8;
    }

    private static int headerBytes(HttpServerRequest request) {
        int total = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            total += header.getKey().length() + 2 + header.getValue().length() + 2;
        }
        return total;
    }

    private static long announcedLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException malformed) {
            return -1;
        }
    }

    /**
     * A body the app will read is still to come: announced (a length above zero, or chunks) on a
     * method whose routes take one. The routes of the others never read theirs.
     */
    private static boolean hasBodyToCome(HttpServerRequest request) {
        HttpMethod method = request.method();
        return !request.isEnded()
                && method != HttpMethod.GET
                && method != HttpMethod.HEAD
                && method != HttpMethod.OPTIONS
                && announcesBody(request);
    }

    private static boolean announcesBody(HttpServerRequest request) {
        return announcedLength(request) > 0 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /** The path as logged: bounded, and without characters that could forge log lines. */
    private static String loggable(String path) {
        String shown = path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) + "…" : path;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }
}
