package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
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
 * Review rv17: review rv16 L1 was mended for the built-in exceptions only (HttpsOnlyProxy matches 127.x.x.x and
 * 169.254.x.x by address). The exceptions an operator configures ({@code http.nonProxyHosts}, {@code NO_PROXY}) still
 * go to Vert.x as wildcards (SdkHttpClients.proxyOf), whose ProxyFilter leaves their dots unescaped: the JVM's own
 * {@code 127.*} (its default, and what an operator copies) then exempts a customer's vault named {@code 127data}, and
 * {@code *.internal.example.net} exempts {@code evilinternalxexample.net}. The JVM reads both as globs with literal
 * dots (neither host is exempt there), and CONFIGURATION.md says a host name such as {@code 127data…} takes the proxy.
 */
class ConfiguredNonProxyHostsUnitTest {
    @Test
    void aConfiguredWildcardExemptsOnlyHostsItNamesWithItsDots() throws Exception {
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
            ConfigurationSource systemProperties = path -> Map.of(
                    "https.proxyHost", "127.0.0.1",
                    "https.proxyPort", String.valueOf(proxy.actualPort()),
                    "http.nonProxyHosts", "localhost|127.*|[::1]|*.internal.example.net");
            HttpClient client = SdkHttpClients.create(
                    vertx,
                    Optional.empty(),
                    Duration.ofSeconds(3),
                    new ConfigurationBuilder(none, systemProperties, none).build());
            for (String host :
                    List.of("databox.vault.azure.net", "127data.vault.azure.net", "evilinternalxexample.net")) {
                try {
                    client.send(new HttpRequest(HttpMethod.GET, "https://" + host + "/"))
                            .block(Duration.ofSeconds(10));
                } catch (RuntimeException refused) {
                    // Only whether the proxy was asked matters.
                }
            }
            assertThat(seenByProxy)
                    .containsExactly(
                            "CONNECT databox.vault.azure.net:443",
                            "CONNECT 127data.vault.azure.net:443",
                            "CONNECT evilinternalxexample.net:443");
        } finally {
            proxy.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
