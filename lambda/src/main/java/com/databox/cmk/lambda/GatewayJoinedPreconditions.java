package com.databox.cmk.lambda;

import com.databox.cmk.api.EmptyIfMatch;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * API Gateway joins a header's lines with commas, and Quarkus' Lambda handler splits every header on them again:
 * an {@code If-Match} of empty lines only (",") reached the app as no {@code If-Match} at all, and a write its
 * client meant to be conditional was made unconditionally, where the same request on Azure answers {@code 400}
 * (api/EmptyIfMatch; bug bash of 2026-12-06, Lambda F2). An {@code If-None-Match} of empty lines is given back to
 * the app as sent, which refuses it in the words of the surface it reached, as on Azure (since 2026-12-07, review
 * rv9 F2: a GET answered {@code 200} and a PUT created). The event's own header says what was sent.
 */
public class GatewayJoinedPreconditions {
    @ServerRequestFilter
    public void keepPreconditionsOfEmptyLines(ContainerRequestContext request, RoutingContext routing) {
        for (Map.Entry<String, String> header : GatewayEvent.headers(routing).entrySet()) {
            if (header.getValue() == null || !header.getValue().replace(",", "").isBlank()) {
                continue;
            }
            if (header.getKey().equalsIgnoreCase(HttpHeaders.IF_MATCH)
                    && !request.getHeaders().containsKey(HttpHeaders.IF_MATCH)) {
                throw EmptyIfMatch.refusal();
            }
            if (header.getKey().equalsIgnoreCase(HttpHeaders.IF_NONE_MATCH)
                    && !request.getHeaders().containsKey(HttpHeaders.IF_NONE_MATCH)) {
                request.getHeaders().putSingle(HttpHeaders.IF_NONE_MATCH, header.getValue());
            }
        }
    }
}
