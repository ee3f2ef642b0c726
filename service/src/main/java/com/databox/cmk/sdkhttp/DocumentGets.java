package com.databox.cmk.sdkhttp;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Configuration;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * GETs of small documents that no Azure SDK client fetches (Entra ID's signing keys), on the SDK clients' own HTTP
 * client ({@link SdkHttpClients#create}): the configured proxy with its exceptions, for {@code https:} calls only,
 * and no redirect followed. The JDK's {@code HttpURLConnection} fetched them before, which reads neither {@code
 * HTTPS_PROXY} nor a proxy's credentials, so where a proxy was the only way out every such fetch failed (bug bash sx4).
 */
public final class DocumentGets {
    /** What was answered: the status, its {@code Retry-After}, and the body, cut one byte past the most taken. */
    public record Answer(int status, Optional<String> retryAfter, byte[] body) {}

    private final HttpClient client;
    private final Duration limit;

    private DocumentGets(HttpClient client, Duration limit) {
        this.client = client;
        this.limit = limit;
    }

    /**
     * Opening a connection and the answer's headers take at most {@code timeout} each, a whole GET, its body
     * included, at most twice that.
     */
    public static DocumentGets create(Vertx vertx, Duration timeout) {
        return create(vertx, timeout, Configuration.getGlobalConfiguration());
    }

    /** With the proxy {@code configuration} gives, as {@link SdkHttpClients#create} takes it. */
    public static DocumentGets create(Vertx vertx, Duration timeout, Configuration configuration) {
        return new DocumentGets(
                SdkHttpClients.create(vertx, Optional.empty(), timeout, configuration), timeout.multipliedBy(2));
    }

    /**
     * The answer to a GET of {@code location}, its body read up to {@code maxBytes + 1} bytes.
     *
     * @throws IOException when none came: no connection, no answer in time, or the proxy refused the tunnel
     */
    public Answer get(URI location, int maxBytes) throws IOException {
        HttpRequest request;
        try {
            request = new HttpRequest(HttpMethod.GET, location.toURL())
                    .setHeader(HttpHeaderName.ACCEPT, "application/json");
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a URL: " + location, e);
        }
        try {
            return client.send(request)
                    .flatMap(response -> read(response, maxBytes))
                    .timeout(limit)
                    .block();
        } catch (RuntimeException e) {
            Throwable failure = Exceptions.unwrap(e);
            if (SdkHttpClients.gotNoAnswer(failure)) {
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            throw e;
        }
    }

    private static Mono<Answer> read(HttpResponse response, int maxBytes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        return response.getBody()
                .takeUntil(buffer -> append(body, buffer, maxBytes + 1) > maxBytes)
                .then(Mono.fromSupplier(() -> new Answer(
                        response.getStatusCode(),
                        Optional.ofNullable(response.getHeaderValue(HttpHeaderName.RETRY_AFTER)),
                        body.toByteArray())))
                .doFinally(ignored -> response.close());
    }

    /** Appends what fits within {@code most} bytes; the length now held. */
    private static int append(ByteArrayOutputStream body, ByteBuffer buffer, int most) {
        int taken = Math.min(buffer.remaining(), most - body.size());
        byte[] bytes = new byte[taken];
        buffer.get(bytes);
        body.writeBytes(bytes);
        return body.size();
    }
}
