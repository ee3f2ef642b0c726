package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.databox.cmk.emulator.tls.SelfSignedCertificate;
import io.vertx.core.Vertx;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the SDK clients wait for a host that does not take the connection: bounded by the
 * attempt's timeout, with and without a trusted certificate (the builder given options of its own
 * set no connect timeout, and Vert.x's own is 60 s).
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
