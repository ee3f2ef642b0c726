package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.databox.cmk.testing.LoggedRecords;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Key Vault's challenge round trip on a real Vert.x client and server: the 401 is closed unread on
 * a thread of no event loop, then the call is sent again with a token and a streamed body, as the
 * SDK's challenge policy does. Closed through azure-core-http-vertx, the unread 401 ended its
 * request a second time (Vert.x logged {@code NoSuchElementException} from
 * {@code Http1xClientConnection.endRequest}).
 */
class DrainingHttpClientTest {
    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger connections = new AtomicInteger();
    private LoggedRecords logged;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = vertx.createHttpServer()
                .connectionHandler(c -> connections.incrementAndGet())
                .requestHandler(request -> request.body().onSuccess(body -> {
                    if (request.getHeader("Authorization") == null) {
                        request.response()
                                .setStatusCode(401)
                                .putHeader("WWW-Authenticate", "Bearer resource=\"https://vault.azure.net\"")
                                .end("{\"error\":{\"code\":\"Unauthorized\",\"message\":\"no token\"}}");
                    } else {
                        request.response().setStatusCode(200).end("{\"echo\":" + body.length() + "}");
                    }
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        logged = LoggedRecords.capture(r -> r.getThrown() != null);
    }

    @AfterEach
    void stop() throws Exception {
        logged.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aChallengeClosedUnreadEndsNoRequestTwice() {
        HttpClient client = SdkHttpClients.create(vertx, Optional.empty(), Duration.ofSeconds(10));
        String url = "http://127.0.0.1:" + server.actualPort() + "/keys/k/1/wrapkey";
        byte[] body = "{\"alg\":\"RSA-OAEP-256\",\"value\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20; i++) {
            HttpResponse challenge = client.send(
                            new HttpRequest(HttpMethod.POST, url).setHeader(HttpHeaderName.CONTENT_LENGTH, "0"))
                    .block();
            assertThat(challenge.getStatusCode()).isEqualTo(401);
            challenge.close();
            HttpResponse answer = client.send(new HttpRequest(HttpMethod.POST, url)
                            .setHeader(HttpHeaderName.AUTHORIZATION, "Bearer token")
                            .setHeader(HttpHeaderName.CONTENT_LENGTH, Integer.toString(body.length))
                            .setBody(Flux.just(ByteBuffer.wrap(body))))
                    .block();
            assertThat(answer.getStatusCode()).isEqualTo(200);
            assertThat(answer.getBodyAsString().block()).isEqualTo("{\"echo\":" + body.length + "}");
        }
        assertThat(logged.records())
                .as("what Vert.x and Netty logged with an exception")
                .extracting(r -> String.valueOf(r.getThrown()))
                .isEmpty();
        // Read to its end, the 401's connection is kept alive: not one connection per challenge.
        assertThat(connections.get()).as("connections opened").isLessThan(20);
    }

    @Test
    void aBodyReadBeforeCloseIsClosedAsBefore() {
        HttpClient client = SdkHttpClients.create(vertx, Optional.empty(), Duration.ofSeconds(10));
        String url = "http://127.0.0.1:" + server.actualPort() + "/keys/k/1/wrapkey";
        HttpResponse answer = client.send(new HttpRequest(HttpMethod.POST, url)
                        .setHeader(HttpHeaderName.AUTHORIZATION, "Bearer token")
                        .setBody(BinaryData.fromString("{}")))
                .block();
        assertThat(answer.getBodyAsString().block()).isEqualTo("{\"echo\":2}");
        answer.close();
        HttpResponse next = client.send(new HttpRequest(HttpMethod.POST, url)
                        .setHeader(HttpHeaderName.AUTHORIZATION, "Bearer token")
                        .setBody(BinaryData.fromString("{}")))
                .block();
        assertThat(next.getStatusCode()).isEqualTo(200);
        assertThat(logged.records())
                .extracting(r -> String.valueOf(r.getThrown()))
                .isEmpty();
    }
}
