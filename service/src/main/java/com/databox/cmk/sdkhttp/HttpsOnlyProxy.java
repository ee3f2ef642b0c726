package com.databox.cmk.sdkhttp;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Sends {@code https:} calls through the client that takes the proxy and every other call directly: the JVM's
 * {@code https.proxyHost} is for {@code https:} URLs, and a Vert.x client's proxy would carry plain HTTP too, such
 * as a call to the platform's identity endpoint with its secret header (bug bash sx1 B2).
 */
final class HttpsOnlyProxy implements HttpClient {
    /**
     * This machine's IPv4 addresses and the link-local ones of the platform's identity endpoints, which no proxy
     * carries (the JVM's default {@code http.nonProxyHosts}, {@code 127.*}, by address). Matched here, not as
     * Vert.x non-proxy hosts, whose wildcard {@code 127.*} also matched host names such as {@code 127data.table.…}
     * (review rv16 L1).
     */
    private static final Pattern LOOPBACK_OR_LINK_LOCAL =
            Pattern.compile("(127\\.\\d{1,3}|169\\.254)\\.\\d{1,3}\\.\\d{1,3}");

    private final HttpClient proxied;
    private final HttpClient direct;

    HttpsOnlyProxy(HttpClient proxied, HttpClient direct) {
        this.proxied = proxied;
        this.direct = direct;
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
        return "https".equalsIgnoreCase(request.getUrl().getProtocol())
                        && !LOOPBACK_OR_LINK_LOCAL
                                .matcher(request.getUrl().getHost())
                                .matches()
                ? proxied
                : direct;
    }
}
