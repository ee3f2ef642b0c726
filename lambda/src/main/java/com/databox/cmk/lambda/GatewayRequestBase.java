package com.databox.cmk.lambda;

import com.databox.cmk.api.RequestPublicBase;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where API Gateway says the request arrived: {@code https://} and the event's {@code requestContext.domainName},
 * which API Gateway sets (the client's {@code Host} is never read), and a named stage's segment where the event's
 * path holds one ({@link GatewayStage}). The stack's
 * {@code PublicBaseUrl} (cmk.public-base-url), where set, wins (api/PublicUrls). Before (bug bash lp1 F1), without
 * that setting every {@code Location} and {@code nextLink} started with the local run's address.
 */
@ApplicationScoped
public class GatewayRequestBase implements RequestPublicBase {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})");

    @Inject
    CurrentVertxRequest request;

    @Override
    public Optional<URI> current() {
        if (!Arc.container().requestContext().isActive()) {
            return Optional.empty();
        }
        return GatewayEvent.of(request.getCurrent())
                .filter(event -> event.getRequestContext() != null)
                .flatMap(event -> base(event.getRequestContext().getDomainName(), GatewayStage.segment(event)));
    }

    /** Empty where the event names no domain, or one API Gateway would not send (a direct invocation's). */
    static Optional<URI> base(String domainName, Optional<String> stageSegment) {
        if (domainName == null || !HOST_NAME.matcher(domainName).matches()) {
            return Optional.empty();
        }
        return Optional.of(URI.create("https://" + domainName + stageSegment.orElse("")));
    }
}
