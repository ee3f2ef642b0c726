package com.databox.cmk.keyvault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.order.KeyUrl;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Locale;

/**
 * Key Vault SDK clients on one HTTP client. A key client is kept per (vault, identity), at most
 * {@link #MAX_VAULT_CLIENTS} of them and each for {@link #MAX_IDLE} unused; a cryptography client,
 * bound to one key version, is made for each call (it is cheap: the connections are the HTTP
 * client's, the token the credential's), so that callers naming ever new key URLs keep nothing
 * (issue #15). They hold no answers, so reusing them never makes an answer stale.
 */
public final class KeyVaultClients {
    static final int MAX_VAULT_CLIENTS = 256;
    static final Duration MAX_IDLE = Duration.ofMinutes(30);

    private final KeyVaultSettings settings;
    private final HttpClient httpClient;
    private final BoundedCache<String, KeyAsyncClient> keyClients = new BoundedCache<>(MAX_VAULT_CLIENTS, MAX_IDLE);

    public KeyVaultClients(KeyVaultSettings settings, Vertx vertx) {
        this(settings, SdkHttpClients.create(vertx, settings.trustedCertificate(), settings.timeout()));
    }

    KeyVaultClients(KeyVaultSettings settings, HttpClient httpClient) {
        this.settings = settings;
        this.httpClient = httpClient;
    }

    public VaultHostPolicy hostPolicy() {
        return settings.hostPolicy();
    }

    KeyVaultSettings settings() {
        return settings;
    }

    KeyAsyncClient keyClient(KeyUrl key, String identityKey, TokenCredential credential) {
        return keyClients.get(key.vaultUrl().toLowerCase(Locale.ROOT) + "|" + identityKey, k -> {
            KeyClientBuilder builder = new KeyClientBuilder()
                    .vaultUrl(key.vaultUrl())
                    .credential(new VaultScopeOnlyCredential(credential))
                    .httpClient(httpClient)
                    .retryOptions(retryOptions())
                    .addPolicy(new CappedRetryAfterPolicy(settings.maxRetryAfter()));
            if (settings.hostPolicy().isLocal(key)) {
                builder.disableChallengeResourceVerification();
            }
            return builder.buildAsyncClient();
        });
    }

    /**
     * Key caching is off so that wrap and unwrap always run in the vault: with it on, the SDK
     * wraps locally with the public key and the vault never checks the wrapKey permission.
     */
    CryptographyAsyncClient cryptographyClient(KeyUrl key, TokenCredential credential) {
        CryptographyClientBuilder builder = new CryptographyClientBuilder()
                .keyIdentifier(key.keyId())
                .credential(new VaultScopeOnlyCredential(credential))
                .httpClient(httpClient)
                .retryOptions(retryOptions())
                .addPolicy(new CappedRetryAfterPolicy(settings.maxRetryAfter()))
                .disableKeyCaching();
        if (settings.hostPolicy().isLocal(key)) {
            builder.disableChallengeResourceVerification();
        }
        return builder.buildAsyncClient();
    }

    /** How many key clients are kept now. */
    int cachedClients() {
        return keyClients.size();
    }

    private RetryOptions retryOptions() {
        return new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(settings.maxRetries())
                .setBaseDelay(settings.retryDelay()));
    }
}
