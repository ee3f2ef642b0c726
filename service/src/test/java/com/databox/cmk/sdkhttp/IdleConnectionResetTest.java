package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.databox.cmk.testing.LoggedRecords;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that resets a kept-alive connection while the pool holds it idle (Azurite's queue service did under
 * load): no request is on it, the next one opens another, and nothing is wrong. Vert.x logged each at ERROR
 * ("Connection reset", no request ID), an alert for nothing (load run of 2026-12-06, bb93 F5).
 */
class IdleConnectionResetTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aResetOfAnIdleConnectionIsNoError() throws Exception {
        CountDownLatch reset = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                LoggedRecords logged = LoggedRecords.capture(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())) {
            Thread.ofVirtual().start(() -> answerOnceThenReset(server, reset));
            HttpClient client = SdkHttpClients.create(vertx, Optional.empty(), Duration.ofSeconds(10));
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/devstoreaccount1/cmk-events/messages";

            HttpResponse answer =
                    client.send(new HttpRequest(HttpMethod.GET, url)).block();
            assertThat(answer.getStatusCode()).isEqualTo(200);
            answer.getBodyAsString().block();
            assertThat(reset.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(500); // the client's event loop reads the reset

            assertThat(logged.records())
                    .as("what was logged at ERROR")
                    .extracting(r -> r.getLoggerName() + ": " + r.getMessage())
                    .isEmpty();
        }
    }

    private static void answerOnceThenReset(ServerSocket server, CountDownLatch reset) {
        try (Socket connection = server.accept()) {
            BufferedReader request =
                    new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            while ((line = request.readLine()) != null && !line.isEmpty()) {
                // the request's headers; it has no body
            }
            OutputStream out = connection.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            connection.setSoLinger(true, 0); // close with a reset
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            reset.countDown();
        }
    }
}
