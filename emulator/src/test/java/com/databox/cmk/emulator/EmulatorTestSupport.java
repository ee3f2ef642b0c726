package com.databox.cmk.emulator;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * One emulator for the whole test JVM. It must outlive every test class: MSAL caches tokens
 * statically for the JVM's life, so the signing key and identities have to stay the same.
 */
public final class EmulatorTestSupport {

    private static KeyVaultEmulator emulator;
    private static EmulatorAdminClient admin;
    private static HttpClient httpClient;

    private EmulatorTestSupport() {}

    /** Starts the emulator once, on port {@code emulator.port} with the header from {@code IDENTITY_HEADER}. */
    public static synchronized KeyVaultEmulator shared() {
        if (emulator == null) {
            Integer port = Integer.getInteger("emulator.port");
            String header = System.getenv("IDENTITY_HEADER");
            if (port == null || header == null) {
                throw new IllegalStateException(
                        "Run the tests through Maven: it sets the emulator.port property and the"
                                + " IDENTITY_ENDPOINT/IDENTITY_HEADER variables the managed-identity client reads");
            }
            KeyVaultEmulator started = KeyVaultEmulator.start(new EmulatorOptions(port, header, null, null));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kv-emulator-stop"));
            emulator = started;
            admin = new EmulatorAdminClient(started.adminUrl());
        }
        return emulator;
    }

    public static synchronized EmulatorAdminClient admin() {
        shared();
        return admin;
    }

    /** An Azure SDK HTTP client that trusts only the emulator's certificate. */
    public static synchronized HttpClient sdkHttpClient() {
        if (httpClient == null) {
            String pem = shared().caCertificatePemPath().toString();
            httpClient = new VertxHttpClientBuilder()
                    .vertx(Vertx.vertx())
                    .httpClientOptions(new HttpClientOptions()
                            .setSsl(true)
                            .setTrustOptions(new PemTrustOptions().addCertPath(pem)))
                    .build();
        }
        return httpClient;
    }

    public static KeyClient keyClient(String vaultUrl, TokenCredential credential) {
        return new KeyClientBuilder()
                .vaultUrl(vaultUrl)
                .credential(credential)
                .httpClient(sdkHttpClient())
                // The vault host is 127.0.0.1, not *.vault.azure.net.
                .disableChallengeResourceVerification()
                .buildClient();
    }

    public static CryptographyClient cryptographyClient(String kid, TokenCredential credential) {
        return new CryptographyClientBuilder()
                .keyIdentifier(kid)
                .credential(credential)
                .httpClient(sdkHttpClient())
                .disableChallengeResourceVerification()
                // Without this the SDK wraps locally with the public key and the vault never sees wrapKey.
                .disableKeyCaching()
                .buildClient();
    }
}
