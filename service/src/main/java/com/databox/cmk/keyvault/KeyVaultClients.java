package com.databox.cmk.keyvault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.order.KeyUrl;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key Vault SDK clients, built once per (vault or key, identity) and reused. They hold no
 * answers, only connections and tokens, so reusing them never makes an answer stale.
 */
public final class KeyVaultClients {
    private final KeyVaultSettings settings;
    private final HttpClient httpClient;
    private final Map<String, KeyClient> keyClients = new ConcurrentHashMap<>();
    private final Map<String, CryptographyClient> cryptographyClients = new ConcurrentHashMap<>();

    public KeyVaultClients(KeyVaultSettings settings, Vertx vertx) {
        this.settings = settings;
        this.httpClient = SdkHttpClients.create(vertx, settings.trustedCertificate(), settings.timeout());
    }

    public VaultHostPolicy hostPolicy() {
        return settings.hostPolicy();
    }

    KeyClient keyClient(KeyUrl key, String identityKey, TokenCredential credential) {
        return keyClients.computeIfAbsent(key.vaultUrl() + "|" + identityKey, k -> {
            KeyClientBuilder builder = new KeyClientBuilder()
                    .vaultUrl(key.vaultUrl())
                    .credential(new VaultScopeOnlyCredential(credential))
                    .httpClient(httpClient)
                    .retryOptions(retryOptions());
            if (settings.hostPolicy().isLocal(key)) {
                builder.disableChallengeResourceVerification();
            }
            return builder.buildClient();
        });
    }

    /**
     * Key caching is off so that wrap and unwrap always run in the vault: with it on, the SDK
     * wraps locally with the public key and the vault never checks the wrapKey permission.
     */
    CryptographyClient cryptographyClient(KeyUrl key, String identityKey, TokenCredential credential) {
        return cryptographyClients.computeIfAbsent(key.keyId() + "|" + identityKey, k -> {
            CryptographyClientBuilder builder = new CryptographyClientBuilder()
                    .keyIdentifier(key.keyId())
                    .credential(new VaultScopeOnlyCredential(credential))
                    .httpClient(httpClient)
                    .retryOptions(retryOptions())
                    .disableKeyCaching();
            if (settings.hostPolicy().isLocal(key)) {
                builder.disableChallengeResourceVerification();
            }
            return builder.buildClient();
        });
    }

    private RetryOptions retryOptions() {
        return new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(settings.maxRetries())
                .setBaseDelay(settings.retryDelay()));
    }
}
