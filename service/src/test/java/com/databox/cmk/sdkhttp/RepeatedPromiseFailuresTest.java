package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.databox.cmk.testing.Pause;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * azure-core-http-vertx fails a call's promise a second time when the call timed out and its
 * connection closes later; Vert.x reports that as an uncaught exception, which Quarkus logs at
 * ERROR. The SDK clients the service builds leave that one out and report every other as before.
 */
class RepeatedPromiseFailuresTest {
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(300);

    private final Vertx vertx = Vertx.vertx();
    /** What the handler in place before reports: Quarkus' own, which logs at ERROR. */
    private final List<Throwable> reported = new CopyOnWriteArrayList<>();

    RepeatedPromiseFailuresTest() {
        vertx.exceptionHandler(reported::add);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSdksClientFailsATimedOutCallAgainWhenItsConnectionClosesLater() throws Exception {
        HttpClient sdkAsBuilt = new VertxHttpClientBuilder()
                .vertx(vertx)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();

        callTimesOutThenConnectionCloses(sdkAsBuilt);

        Pause.until(() -> !reported.isEmpty(), Duration.ofSeconds(10));
        assertThat(reported)
                .singleElement()
                .satisfies(e -> assertThat(RepeatedPromiseFailures.isRepeatedFailure(e))
                        .as("what the SDK's second promise.fail throws: %s", e)
                        .isTrue());
    }

    @Test
    void theServicesClientsLeaveThatSecondFailureOut() throws Exception {
        HttpClient client = SdkHttpClients.create(vertx, Optional.empty(), RESPONSE_TIMEOUT);

        callTimesOutThenConnectionCloses(client);

        Pause.until(() -> ignored() == 1 || !reported.isEmpty(), Duration.ofSeconds(10));
        assertThat(reported).as("reported to the handler that logs at ERROR").isEmpty();
        assertThat(ignored()).isEqualTo(1);
    }

    @Test
    void everyOtherUncaughtExceptionGoesToTheHandlerThatWasThere() throws Exception {
        SdkHttpClients.create(vertx, Optional.empty(), RESPONSE_TIMEOUT);
        SdkHttpClients.forStorage(vertx, RESPONSE_TIMEOUT);
        IllegalStateException other = new IllegalStateException("Result is already complete");

        vertx.runOnContext(v -> {
            throw other;
        });

        Pause.until(() -> !reported.isEmpty(), Duration.ofSeconds(10));
        assertThat(reported)
                .as("not thrown by Promise.fail: reported as before")
                .containsExactly(other);
        assertThat(vertx.exceptionHandler())
                .as("the service's handler, in front of the one that was there")
                .isInstanceOf(RepeatedPromiseFailures.class);
        assertThat(ignored()).isZero();
    }

    private long ignored() {
        return vertx.exceptionHandler() instanceof RepeatedPromiseFailures installed ? installed.ignored() : 0;
    }

    /** A server that takes the request and never answers, and closes the connection once the call gave up. */
    private static void callTimesOutThenConnectionCloses(HttpClient client) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpRequest request =
                    new HttpRequest(HttpMethod.GET, "http://127.0.0.1:" + server.getLocalPort() + "/keys");
            var call = client.send(request).toFuture();
            try (Socket connection = server.accept()) {
                InputStream in = connection.getInputStream();
                in.read(new byte[4096]);
                assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
                        .as("no answer within the response timeout")
                        .rootCause()
                        .isInstanceOf(TimeoutException.class);
            }
        }
    }
}
