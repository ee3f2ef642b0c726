package com.databox.cmk.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.quarkus.vertx.http.runtime.QuarkusHttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;

/** The API Gateway event a request came in, which Quarkus' Lambda handler keeps with the request's headers. */
final class GatewayEvent {
    private GatewayEvent() {}

    /** Empty for a request that did not come through the Lambda handler. */
    static Optional<APIGatewayV2HTTPEvent> of(RoutingContext routing) {
        return routing != null && routing.request().headers() instanceof QuarkusHttpHeaders headers
                ? Optional.ofNullable(headers.getContextObject(APIGatewayV2HTTPEvent.class))
                : Optional.empty();
    }

    /** The event's headers as API Gateway sent them, each one line, its lines joined with commas; or none. */
    static Map<String, String> headers(RoutingContext routing) {
        return of(routing).map(APIGatewayV2HTTPEvent::getHeaders).orElse(Map.of());
    }
}
