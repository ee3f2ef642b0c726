package com.databox.cmk.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named stage's segment, which API Gateway's HTTP API keeps at the start of the path it hands the function
 * ({@code https://{domain}/prod/api/orders} arrives as {@code /prod/api/orders}); the {@code $default} stage is served
 * at the domain's root, and a custom domain's mapping selects its stage without one (only the API's own {@code
 * execute-api} domain's paths are cut). The segment is read from the
 * event's {@code requestContext.http.path}, which nothing here rewrites: the served path is cut of it
 * ({@link GatewayDecodedPath}), and the public base keeps it ({@link GatewayRequestBase}), so a {@code Location}
 * is followable through the stage that served it.
 */
final class GatewayStage {
    private static final String DEFAULT_STAGE = "$default";
    private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /**
     * The API's own domain, where a stage is chosen by the path's first segment; a custom domain's mapping chooses it
     * without one, and its path may well start with a segment of the stage's name ({@code /api} for a stage named
     * {@code api}; review rv17 L4).
     */
    private static final Pattern EXECUTE_API =
            Pattern.compile("[a-z0-9]+\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?", Pattern.CASE_INSENSITIVE);

    private GatewayStage() {}

    /** {@code /prod}, where the event's path starts with its named stage's segment; else empty. */
    static Optional<String> segment(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        if (context == null || context.getHttp() == null) {
            return Optional.empty();
        }
        return segment(
                context.getDomainName(), context.getStage(), context.getHttp().getPath());
    }

    static Optional<String> segment(String domainName, String stage, String path) {
        if (domainName == null
                || !EXECUTE_API.matcher(domainName).matches()
                || stage == null
                || stage.equals(DEFAULT_STAGE)
                || !STAGE_NAME.matcher(stage).matches()
                || path == null) {
            return Optional.empty();
        }
        String segment = "/" + stage;
        return path.equals(segment) || path.startsWith(segment + "/") ? Optional.of(segment) : Optional.empty();
    }
}
