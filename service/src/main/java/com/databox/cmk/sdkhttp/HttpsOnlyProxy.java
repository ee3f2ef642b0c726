package com.databox.cmk.sdkhttp;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.util.Optional;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Sends {@code https:} calls through the client that takes the proxy and every other call directly: the JVM's
 * {@code https.proxyHost} is for {@code https:} URLs, and a Vert.x client's proxy would carry plain HTTP too, such
 * as a call to the platform's identity endpoint with its secret header (bug bash sx1 B2).
 */
final class HttpsOnlyProxy implements HttpClient {
    /**
     * This machine and the link-local addresses of the platform's identity endpoints, which no proxy carries (the
     * JVM's default {@code http.nonProxyHosts}, {@code localhost|127.*|[::1]}, by address). Matched here, not as
     * Vert.x non-proxy hosts, whose wildcard {@code 127.*} also matched host names such as {@code 127data.table.…}
     * (review rv16 L1; rv17 L3: an octet over 255).
     */
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    private static final Pattern THIS_MACHINE_OR_LINK_LOCAL = Pattern.compile(
            "localhost|\\[::1\\]|::1|(127\\." + OCTET + "|169\\.254)\\." + OCTET + "\\." + OCTET,
            Pattern.CASE_INSENSITIVE);

    private final HttpClient proxied;
    private final HttpClient direct;
    private final Optional<Pattern> configuredExceptions;

    HttpsOnlyProxy(HttpClient proxied, HttpClient direct, Optional<Pattern> configuredExceptions) {
        this.proxied = proxied;
        this.direct = direct;
        this.configuredExceptions = configuredExceptions;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return clientFor(request).send(request, context);
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        return clientFor(request).sendSync(request, context);
    }

    private HttpClient clientFor(HttpRequest request) {
        String host = request.getUrl().getHost();
        return "https".equalsIgnoreCase(request.getUrl().getProtocol())
                        && !THIS_MACHINE_OR_LINK_LOCAL.matcher(host).matches()
                        && configuredExceptions
                                .map(hosts -> !hosts.matcher(host).matches())
                                .orElse(true)
                ? proxied
                : direct;
    }
}
