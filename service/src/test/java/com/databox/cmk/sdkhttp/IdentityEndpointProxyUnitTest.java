package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bug bash sx1 (outbound request hygiene), B2: the token services' client (ServiceBeans.plainHttpClient) takes the
 * environment's proxy as the Key Vault client does (CONFIGURATION.md, cmk.keyvault.timeout). An HTTPS proxy configured
 * the JVM's way ({@code -Dhttps.proxyHost}, no {@code http.nonProxyHosts}) then also carries the plain-HTTP call to
 * App Service's loopback identity endpoint, with the platform's secret {@code X-IDENTITY-HEADER}, and the proxy's
 * answer is taken as the token. The JVM applies {@code https.proxyHost} to https URLs only, and never proxies
 * {@code localhost|127.*|[::1]} unless told to (its default {@code http.nonProxyHosts}).
 */
class IdentityEndpointProxyUnitTest {
    @Test
    void anHttpsProxyDoesNotCarryTheLoopbackIdentityEndpointsCall() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> seenByProxy = new CopyOnWriteArrayList<>();
        HttpServer proxy = vertx.createHttpServer()
                .requestHandler(request -> {
                    seenByProxy.add(request.method() + " " + request.uri() + " X-IDENTITY-HEADER="
                            + request.getHeader("X-IDENTITY-HEADER"));
                    request.response()
                            .putHeader("content-type", "application/json")
                            .end("{\"access_token\":\"the-proxy's\"}");
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try {
            ConfigurationSource none = path -> Map.of();
            ConfigurationSource systemProperties = path ->
                    Map.of("https.proxyHost", "127.0.0.1", "https.proxyPort", String.valueOf(proxy.actualPort()));
            Configuration configured = new ConfigurationBuilder(none, systemProperties, none).build();
            Duration timeout = Duration.ofSeconds(5);
            HttpClient tokenServices = SdkHttpClients.create(vertx, Optional.empty(), timeout, configured);
            // App Service's identity endpoint (IDENTITY_ENDPOINT): plain HTTP on loopback, with its secret header.
            HttpRequest token = new HttpRequest(
                            HttpMethod.GET,
                            "http://127.0.0.1:9/msi/token?resource=https://vault.azure.net&api-version=2019-08-01")
                    .setHeader("X-IDENTITY-HEADER", "platform-secret");
            try {
                tokenServices.send(token).block(Duration.ofSeconds(10));
            } catch (RuntimeException refusedAsItShouldBe) {
                // Nothing listens on 127.0.0.1:9: sent directly, the call is refused.
            }
            assertThat(seenByProxy)
                    .as("calls the proxy received (an HTTPS proxy, for a plain-HTTP loopback call)")
                    .isEmpty();
        } finally {
            proxy.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * What CONFIGURATION.md keeps (cmk.keyvault.timeout): a Key Vault call, https, still goes through the configured
     * proxy, while a plain-HTTP call to this machine does not.
     */
    @Test
    void anHttpsCallStillTakesTheProxy() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> seenByProxy = new CopyOnWriteArrayList<>();
        HttpServer proxy = vertx.createHttpServer()
                .requestHandler(request -> {
                    seenByProxy.add(request.method() + " " + request.uri());
                    request.response().setStatusCode(403).end();
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try {
            ConfigurationSource none = path -> Map.of();
            ConfigurationSource systemProperties = path ->
                    Map.of("https.proxyHost", "127.0.0.1", "https.proxyPort", String.valueOf(proxy.actualPort()));
            HttpClient client = SdkHttpClients.create(
                    vertx,
                    java.util.Optional.empty(),
                    Duration.ofSeconds(5),
                    new ConfigurationBuilder(none, systemProperties, none).build());
            try {
                client.send(new HttpRequest(HttpMethod.GET, "https://contoso.vault.azure.net/keys/k"))
                        .block(Duration.ofSeconds(10));
            } catch (RuntimeException refusedByTheProxy) {
                // The proxy refuses the tunnel: only that it was asked matters here.
            }
            assertThat(seenByProxy).containsExactly("CONNECT contoso.vault.azure.net:443");
        } finally {
            proxy.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
