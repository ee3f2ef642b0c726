package com.databox.cmk.keyvault;

import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Azure SDK HTTP clients on the application's own Vert.x instance. */
public final class SdkHttpClients {
    private SdkHttpClients() {}

    /**
     * A client that trusts only {@code trustedCertificate} when one is given (the local
     * emulator's, in the local profile), and the JVM's defaults otherwise; nothing global changes.
     * A response closed unread is read to its end ({@link DrainingHttpClient}).
     */
    public static HttpClient create(Vertx vertx, Optional<Path> trustedCertificate, Duration responseTimeout) {
        HttpClientOptions options = new HttpClientOptions();
        trustedCertificate.ifPresent(pem -> options.setTrustOptions(new PemTrustOptions().addCertPath(pem.toString())));
        return new DrainingHttpClient(new VertxHttpClientBuilder()
                .vertx(vertx)
                .httpClientOptions(options)
                .responseTimeout(responseTimeout)
                .build());
    }
}
