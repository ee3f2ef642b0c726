package com.databox.cmk.sdkhttp;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A proxy on a free local port that refuses every call and records it ({@code CONNECT host:443} for a tunnel, {@code
 * GET http://…} for plain HTTP), and the service's clients configured to take it as the JVM's {@code https.proxyHost}.
 */
public final class RecordingProxy implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public RecordingProxy() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    seen.add(request.method() + " " + request.uri());
                    request.response().setStatusCode(403).end();
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** What reached the proxy, in order. */
    public List<String> seen() {
        return seen;
    }

    /** The Vert.x instance the proxy runs on, for the clients under test. */
    public Vertx vertx() {
        return vertx;
    }

    /** The address to configure, as {@code 127.0.0.1:{port}}. */
    public String address() {
        return "127.0.0.1:" + server.actualPort();
    }

    /** {@link SdkHttpClients#create}'s client, with this proxy and {@code systemProperties} besides. */
    HttpClient client(Map<String, String> systemProperties) {
        Map<String, String> properties = new HashMap<>(systemProperties);
        properties.put("https.proxyHost", "127.0.0.1");
        properties.put("https.proxyPort", String.valueOf(server.actualPort()));
        ConfigurationSource none = path -> Map.of();
        return SdkHttpClients.create(
                vertx,
                Optional.empty(),
                Duration.ofSeconds(5),
                new ConfigurationBuilder(none, path -> properties, none).build());
    }

    /** Sends {@code request}; only where it went matters, not how it was answered. */
    static void send(HttpClient client, HttpRequest request) {
        try {
            client.send(request).block(Duration.ofSeconds(10));
        } catch (RuntimeException refused) {
            // The proxy refuses, or nothing listens where a direct call went.
        }
    }

    static void get(HttpClient client, String url) {
        send(client, new HttpRequest(HttpMethod.GET, url));
    }

    @Override
    public void close() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
