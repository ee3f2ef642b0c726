package com.databox.cmk.lambda;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Quarkus' Lambda handler splits every header of the event on commas, as if each were a list: a single value with
 * a comma inside reached the app as several lines (bug bash lp1). {@code Authorization: Bearer a,b} answered
 * {@code 400} for two Authorization headers where Azure answers {@code 401}, {@code Content-Type: application/json,
 * text/plain} was taken where Azure answers {@code 415}, and {@code x-ms-client-request-id: a,b} was echoed as
 * {@code a}. The headers HTTP defines as one value, and that the app reads, get the event's own value back as one
 * line, before the app's filters (edge/EdgeFilter, edge/RequestIds, api/JsonContentType) read them. List headers
 * ({@code Accept}, {@code If-Match}) are read as lists, where the split does no harm (but see
 * GatewayJoinedPreconditions).
 */
@Singleton
public class GatewaySingleValuedHeaders {
    /** Above the app's own filters (the highest, api/JsonContentType, is 3000): run first. */
    private static final int PRIORITY = 10_000;

    static final Set<String> SINGLE_VALUED =
            Set.of("authorization", "content-type", "x-ms-client-request-id", "x-ms-correlation-request-id");

    /**
     * An Authorization line's start: a scheme, a space, a credential (RFC 9110, 11.4). A bearer credential holds no
     * comma (RFC 6750, 2.1), so a value whose every comma-separated part starts so is two lines API Gateway joined,
     * which the app refuses as two headers (API.md), not one malformed credential (review rv15 F1).
     */
    private static final Pattern CREDENTIALS = Pattern.compile("\\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\\s+\\S.*");

    void register(@Observes Filters filters) {
        filters.register(this::asSent, PRIORITY);
    }

    void asSent(RoutingContext routing) {
        for (Map.Entry<String, String> header : GatewayEvent.headers(routing).entrySet()) {
            if (header.getValue() != null
                    && header.getValue().contains(",")
                    && SINGLE_VALUED.contains(header.getKey().toLowerCase(Locale.ROOT))
                    && !isJoinedLines(header.getKey(), header.getValue())) {
                routing.request().headers().set(header.getKey(), header.getValue());
            }
        }
        routing.next();
    }

    static boolean isJoinedLines(String name, String value) {
        return name.equalsIgnoreCase("authorization")
                && Arrays.stream(value.split(",", -1))
                        .allMatch(line -> CREDENTIALS.matcher(line).matches());
    }
}
