package com.databox.cmk.keyvault;

import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Azure SDK HTTP clients on the application's own Vert.x instance. */
public final class SdkHttpClients {
    /** How long opening a connection may take at most (azure-core's default). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** How long an open connection may go without reading or writing (azure-core's default). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** The longest response headers taken (as azure-core-http-vertx sets it). */
    static final int MAX_HEADER_SIZE = 256 * 1024;

    private SdkHttpClients() {}

    /**
     * A client that trusts only {@code trustedCertificate} when one is given (the local
     * emulator's, in the local profile), and the JVM's defaults otherwise; nothing global changes.
     * A response closed unread is read to its end ({@link DrainingHttpClient}). Opening a
     * connection takes at most {@link #CONNECT_TIMEOUT}, or {@code responseTimeout} when shorter:
     * no host keeps a call waiting longer than one attempt may take.
     */
    public static HttpClient create(Vertx vertx, Optional<Path> trustedCertificate, Duration responseTimeout) {
        Duration connectTimeout = responseTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? responseTimeout : CONNECT_TIMEOUT;
        VertxHttpClientBuilder builder = new VertxHttpClientBuilder()
                .vertx(vertx)
                .connectTimeout(connectTimeout)
                .readTimeout(IDLE_TIMEOUT)
                .writeTimeout(IDLE_TIMEOUT)
                .responseTimeout(responseTimeout);
        // Given options of its own, the builder sets none of its timeouts (Vert.x would wait 60 s for a
        // connection) nor the proxy from the environment: only the emulator's trust needs them, locally.
        trustedCertificate.ifPresent(pem -> builder.httpClientOptions(trusting(pem, connectTimeout)));
        return new DrainingHttpClient(builder.build());
    }

    /** The options the builder would make, trusting {@code pem} alone. */
    private static HttpClientOptions trusting(Path pem, Duration connectTimeout) {
        return new HttpClientOptions()
                .setTrustOptions(new PemTrustOptions().addCertPath(pem.toString()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setReadIdleTimeout((int) IDLE_TIMEOUT.toMillis())
                .setWriteIdleTimeout((int) IDLE_TIMEOUT.toMillis())
                .setMaxHeaderSize(MAX_HEADER_SIZE);
    }
}
