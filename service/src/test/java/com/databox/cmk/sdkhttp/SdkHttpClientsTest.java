package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import com.azure.core.util.Context;
import com.databox.cmk.emulator.tls.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the SDK clients wait for a host that does not take the connection: bounded by the
 * attempt's timeout, with and without a trusted certificate (the builder given options of its own
 * set no connect timeout, and Vert.x's own is 60 s). And that a call's answer is waited for as long
 * as its response timeout, however long its connection had been idle in the pool before it.
 */
class SdkHttpClientsTest {
    private static final Duration ATTEMPT = Duration.ofMillis(500);

    private final Vertx vertx = Vertx.vertx();
    private final List<Socket> fillers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket filler : fillers) {
            filler.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHostThatTakesNoConnectionFailsTheCallWithinTheAttempt() throws Exception {
        assertGivesUpWithinTheAttempt(SdkHttpClients.create(vertx, Optional.empty(), ATTEMPT));
    }

    @Test
    void withATrustedCertificateTooAHostThatTakesNoConnectionFailsTheCallWithinTheAttempt(@TempDir Path certificates)
            throws Exception {
        // A certificate as the emulator makes its own (not the shared emulator: another class loader's may hold its
        // port).
        Path trusted = SelfSignedCertificate.create(certificates).pemPath();
        assertGivesUpWithinTheAttempt(SdkHttpClients.create(vertx, Optional.of(trusted), ATTEMPT));
    }

    @Test
    void aCallOnAConnectionIdleForAnyTimeGetsAnAnswerThatComesWithinItsResponseTimeout() throws Exception {
        HttpClient client = SdkHttpClients.build(
                vertx, SdkHttpClients.options(RESPONSE, RESPONSE, Duration.ofSeconds(1)), RESPONSE);
        try (SlowServer server = SlowServer.start(vertx)) {
            assertThat(callsAfterIdling(server, client)).as("calls that failed").isEmpty();
            assertThat(server.requests()).as("each call sent once").isEqualTo(6);
        }
    }

    /**
     * A call that gets no answer within its response timeout closes its connection: left open, it would
     * stay lent to the call nobody waits for until its idle timeout (keep-alive and more), and a host that
     * stopped answering would take the pool's five connections one try after another, the calls after
     * them waiting for a connection before their own timeout started.
     */
    @Test
    void aCallThatGetsNoAnswerWithinItsResponseTimeoutGivesItsConnectionUp() throws Exception {
        Duration response = Duration.ofMillis(500);
        HttpClient client = SdkHttpClients.create(vertx, Optional.empty(), response);
        try (SlowServer server = SlowServer.start(vertx)) {
            for (int call = 1; call <= 7; call++) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> server.call(client, Duration.ofSeconds(60)))
                        .as("call %d", call)
                        .hasRootCauseInstanceOf(TimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("call %d waited for its own answer only", call)
                        .isLessThan(response.plusSeconds(2));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.closed() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.closed()).as("connections closed by the client").isEqualTo(7);
            assertThat(server.call(client, Duration.ZERO))
                    .as("a call answered at once")
                    .isEqualTo(200);
        }
    }

    /**
     * A call that finds every connection to its host lent and as many calls waiting for one as the bound
     * allows is refused at once, and its caller can tell that it got no answer (an outage to retry, not a
     * 500); the calls before it are answered. Shown on a pool of one connection and one waiter; the
     * clients' own bound is {@link SdkHttpClients#MAX_CONNECTION_WAITERS}.
     */
    @Test
    void aCallBeyondTheBoundOfThoseWaitingForAConnectionIsRefusedAtOnceAsNoAnswer() throws Exception {
        assertThat(SdkHttpClients.options(RESPONSE, RESPONSE, Duration.ofSeconds(30))
                        .getPoolOptions()
                        .getMaxWaitQueueSize())
                .as("the SDK clients' bound of calls waiting for a connection")
                .isEqualTo(SdkHttpClients.MAX_CONNECTION_WAITERS);
        HttpClientOptions oneConnectionOneWaiter = SdkHttpClients.options(RESPONSE, RESPONSE, Duration.ofSeconds(30))
                .setMaxPoolSize(1)
                .setMaxWaitQueueSize(1);
        HttpClient client = SdkHttpClients.build(vertx, oneConnectionOneWaiter, RESPONSE);
        try (SlowServer server = SlowServer.start(vertx)) {
            CompletableFuture<Integer> onTheConnection =
                    CompletableFuture.supplyAsync(() -> server.call(client, Duration.ofMillis(1000)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.requests() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            CompletableFuture<Integer> waiting =
                    CompletableFuture.supplyAsync(() -> server.call(client, Duration.ZERO));
            Thread.sleep(200);
            long started = System.nanoTime();
            assertThatThrownBy(() -> server.call(client, Duration.ZERO))
                    .as("the call beyond the bound")
                    .satisfies(refused -> assertThat(SdkHttpClients.gotNoAnswer(refused))
                            .as("got no answer: %s", refused)
                            .isTrue())
                    .hasRootCauseInstanceOf(ConnectionPoolTooBusyException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
            assertThat(onTheConnection.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(waiting.get(10, TimeUnit.SECONDS))
                    .as("the waiter's call")
                    .isEqualTo(200);
            assertThat(server.requests()).as("the refused call was never sent").isEqualTo(2);
        }
    }

    @Test
    void aRefusalWithAnAnswerIsNotAnOutageButEveryWayOfGettingNoneIs() {
        assertThat(SdkHttpClients.gotNoAnswer(new IllegalArgumentException("bad request")))
                .isFalse();
        assertThat(SdkHttpClients.gotNoAnswer(new RuntimeException(new ConnectException("refused"))))
                .isTrue();
        assertThat(SdkHttpClients.gotNoAnswer(new RuntimeException(new TimeoutException())))
                .isTrue();
        assertThat(SdkHttpClients.gotNoAnswer(new io.netty.handler.timeout.ReadTimeoutException()))
                .as("Netty's, neither an IOException nor the JDK's TimeoutException")
                .isTrue();
        assertThat(SdkHttpClients.gotNoAnswer(new RuntimeException(new ConnectionPoolTooBusyException("full"))))
                .isTrue();
    }

    @Test
    void theConfiguredProxyAndItsExceptionsAreTakenAsTheSdksBuilderTakesThem() {
        // As the JVM's system properties give them (or HTTPS_PROXY and NO_PROXY with java.net.useSystemProxies).
        ConfigurationSource none = path -> Map.of();
        ConfigurationSource systemProperties = path -> Map.of(
                "https.proxyHost", "proxy.example.net",
                "https.proxyPort", "3128",
                "http.nonProxyHosts", "localhost|127.0.0.1|*.internal.example.net");
        Configuration configured = new ConfigurationBuilder(none, systemProperties, none).build();
        HttpClientOptions options = SdkHttpClients.proxyOf(configured, new HttpClientOptions());
        assertThat(options.getProxyOptions().getHost()).isEqualTo("proxy.example.net");
        assertThat(options.getProxyOptions().getPort()).isEqualTo(3128);
        assertThat(options.getNonProxyHosts())
                .as("none left to Vert.x, which reads a wildcard's dots as any character (review rv17 L1)")
                .isNullOrEmpty();
        Pattern exceptions = NonProxyHosts.of(configured).orElseThrow();
        assertThat(List.of("localhost", "127.0.0.1", "a.internal.example.net", "A.Internal.Example.Net"))
                .allMatch(host -> exceptions.matcher(host).matches());
        assertThat(List.of("127.0.0.2", "evilinternalxexample.net", "internal.example.net.evil.com"))
                .noneMatch(host -> exceptions.matcher(host).matches());
        assertThat(SdkHttpClients.proxyOf(Configuration.NONE, new HttpClientOptions())
                        .getProxyOptions())
                .as("no proxy configured")
                .isNull();
    }

    /**
     * Why the clients set the pool's keep-alive below their idle timeouts: with idle timeouts at the
     * response timeout (the shape the SDK's builder makes of its timeouts) and Vert.x's keep-alive of
     * 60 s, a connection's idle timer comes due while a later call waits on it, and the client closes
     * the connection under a request that the server has received and acts on. Should Vert.x stop
     * counting a connection's idle time across its requests, this fails, and the keep-alive may go.
     */
    @Test
    void withIdleTimeoutsAtTheResponseTimeoutVertxClosesConnectionsUnderTheirRequests() throws Exception {
        HttpClient client = new VertxHttpClientBuilder()
                .vertx(vertx)
                .connectTimeout(RESPONSE)
                .responseTimeout(RESPONSE)
                .readTimeout(RESPONSE)
                .writeTimeout(RESPONSE)
                .build();
        try (SlowServer server = SlowServer.start(vertx)) {
            assertThat(callsAfterIdling(server, client))
                    .as("calls that failed")
                    .isNotEmpty()
                    .allSatisfy(failure -> assertThat(failure).hasMessageContaining("Connection was closed"));
            assertThat(server.requests()).as("the server had every request").isEqualTo(6);
        }
    }

    private static final Duration RESPONSE = Duration.ofSeconds(2);

    /**
     * Three times: a quick call, then, once its connection has idled 0.9, 1.4 or 1.9 s, a call answered
     * after 1.5 s (within {@link #RESPONSE}).
     *
     * @return the failures of the slow calls
     */
    private static List<Throwable> callsAfterIdling(SlowServer server, HttpClient client) throws InterruptedException {
        List<Throwable> failures = new ArrayList<>();
        for (Duration idle : List.of(Duration.ofMillis(900), Duration.ofMillis(1400), Duration.ofMillis(1900))) {
            assertThat(server.call(client, Duration.ZERO)).isEqualTo(200);
            Thread.sleep(idle.toMillis());
            try {
                assertThat(server.call(client, Duration.ofMillis(1500))).isEqualTo(200);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        return failures;
    }

    /** Answers every request after the delay its {@code delay-ms} query parameter asks for. */
    private record SlowServer(HttpServer server, AtomicInteger received, AtomicInteger closedConnections)
            implements AutoCloseable {
        static SlowServer start(Vertx vertx) throws Exception {
            AtomicInteger received = new AtomicInteger();
            AtomicInteger closed = new AtomicInteger();
            HttpServer server = vertx.createHttpServer()
                    .connectionHandler(connection -> connection.closeHandler(ignored -> closed.incrementAndGet()))
                    .requestHandler(request -> {
                        received.incrementAndGet();
                        long delay = Long.parseLong(request.getParam("delay-ms"));
                        Runnable answer = () -> request.response().end("{}");
                        if (delay == 0) {
                            answer.run();
                        } else {
                            vertx.setTimer(delay, timer -> answer.run());
                        }
                    })
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            return new SlowServer(server, received, closed);
        }

        int call(HttpClient client, Duration delay) {
            HttpRequest request = new HttpRequest(
                    HttpMethod.GET, "http://127.0.0.1:" + server.actualPort() + "/?delay-ms=" + delay.toMillis());
            try (var response = client.sendSync(request, Context.NONE)) {
                response.getBodyAsBinaryData();
                return response.getStatusCode();
            }
        }

        /** How many connections were closed (by either side). */
        int closed() {
            return closedConnections.get();
        }

        int requests() {
            return received.get();
        }

        @Override
        public void close() throws Exception {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void assertGivesUpWithinTheAttempt(HttpClient client) throws IOException {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            fillAcceptQueue(full);
            HttpRequest request = new HttpRequest(HttpMethod.GET, "https://127.0.0.1:" + full.getLocalPort() + "/keys");
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.send(request).block(Duration.ofSeconds(70)))
                    .rootCause()
                    .as("the connection's own timeout, the attempt's")
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("timed out after " + ATTEMPT.toMillis() + " ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /**
     * Connects until the server's accept queue is full (it never accepts): the kernel then drops
     * the next connection's SYN, so it neither opens nor is refused, as a host that black-holes it.
     */
    private void fillAcceptQueue(ServerSocket server) throws IOException {
        for (int i = 0; i < 64; i++) {
            Socket filler = new Socket();
            fillers.add(filler);
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new IllegalStateException("The accept queue never filled");
    }
}
