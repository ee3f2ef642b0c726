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
 * Review rv16 L1: this machine's and link-local addresses were kept off the proxy as Vert.x non-proxy hosts, "127.*"
 * and "169.254.*", which Vert.x turns into regular expressions without escaping their dots: any host name starting
 * with "127" and one more character, such as a storage account named 127data..., went around the proxy too. They are
 * matched as addresses now (HttpsOnlyProxy).
 */
class NeverProxiedPatternUnitTest {
    @Test
    void aHostNameThatMerelyStartsWith127StillTakesTheProxy() throws Exception {
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
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    new ConfigurationBuilder(none, systemProperties, none).build());
            for (String host : List.of("127data.table.core.windows.net", "1690254x.blob.core.windows.net")) {
                try {
                    client.send(new HttpRequest(HttpMethod.GET, "https://" + host + "/"))
                            .block(Duration.ofSeconds(10));
                } catch (RuntimeException refused) {
                    // Only whether the proxy was asked matters.
                }
            }
            assertThat(seenByProxy)
                    .containsExactly(
                            "CONNECT 127data.table.core.windows.net:443", "CONNECT 1690254x.blob.core.windows.net:443");
        } finally {
            proxy.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
