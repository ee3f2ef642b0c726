package com.databox.cmk.api;

import com.databox.cmk.error.ErrorCode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Before any route is matched: a request is served only under the path it literally names. A path
 * that only normalises to a route ({@code /api/%2e%2e/permission-audit}, {@code /api/../x},
 * {@code //x}, an escaped dot, slash, backslash or percent; no route of the contract has one) is
 * refused with {@code 400}, as is a trailing slash (an empty last segment), and a path with a semicolon: the routes drop what follows one in a
 * segment (a matrix parameter), so {@code /audit-shard;x} reached the trigger route under a path that
 * is not the one the loopback check knows;
 * the host-only trigger routes answer only to a loopback peer (issue 12). The Functions host
 * forwards callers' requests only under {@code /api}, so callers never reach {@code /permission-audit}.
 */
@ApplicationScoped
public class CanonicalPaths {
    /** The custom-handler endpoints of the non-HTTP functions (see trigger.FunctionTriggers). */
    static final Set<String> HOST_ONLY =
            Set.of("/permission-audit", "/audit-shard", "/identity-sweep", "/outbox-relay");

    /**
     * Percent-encoding that could change the path's structure once decoded: a dot, a slash, a
     * backslash, a semicolon, a percent (double encoding), NUL, or a '%' not followed by two hex digits.
     * Other escapes (a space in an ARM job name, say) reach the route, whose own rules answer them.
     */
    private static final java.util.regex.Pattern STRUCTURAL_ESCAPE =
            java.util.regex.Pattern.compile("(?i)%(2e|2f|5c|3b|25|00)|%(?![0-9a-f]{2})");

    /** Looked up on a refusal only, so that installing the check does not build the mapper (FirstRequestWarmUp). */
    @Inject
    Instance<ObjectMapper> json;

    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::check);
    }

    void check(RoutingContext context) {
        String raw = context.request().path();
        if (!isCanonical(raw) || !raw.equals(context.normalizedPath())) {
            refuse(
                    context,
                    400,
                    "The request path must be written plainly: no '.' or '..' segments, empty segments (a "
                            + "trailing slash too), semicolons or backslashes, and no percent-encoding of a "
                            + "character a path holds as it is (a letter, a digit, '-', '.', '_' or '~'), of a "
                            + "slash, backslash, semicolon, percent sign or control character, nor a '%' that "
                            + "starts no such code.");
            return;
        }
        if (HOST_ONLY.contains(raw) && !isLoopback(context.request().remoteAddress())) {
            refuse(context, 404, "There is no such route.");
            return;
        }
        context.next();
    }

    static boolean isCanonical(String raw) {
        if (raw == null
                || raw.isEmpty()
                || raw.charAt(0) != '/'
                || STRUCTURAL_ESCAPE.matcher(raw).find()
                || raw.contains("\\")
                || raw.contains(";")
                || raw.contains("//")
                || raw.length() > 1 && raw.endsWith("/")) {
            return false;
        }
        for (String segment : raw.substring(1).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopback(SocketAddress peer) {
        if (peer == null || peer.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void refuse(RoutingContext context, int status, String message) {
        RefusedRequests.log(
                context.request().method().name(), context.request().path(), status, ErrorCode.InvalidRequest.name());
        try {
            context.response()
                    .setStatusCode(status)
                    .putHeader(JsonContentType.HEADER, JsonContentType.JSON)
                    .end(json.get()
                            .writeValueAsString(ErrorJson.of(
                                    ErrorCode.InvalidRequest.name(),
                                    message,
                                    null,
                                    ErrorCode.InvalidRequest.resolution())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            context.response().setStatusCode(status).end();
        }
    }
}
