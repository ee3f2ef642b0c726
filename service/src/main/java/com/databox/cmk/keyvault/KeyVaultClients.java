package com.databox.cmk.keyvault;

import com.azure.core.client.traits.HttpTrait;
import com.azure.core.client.traits.TokenCredentialTrait;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.identity.SdkHttpLogs;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.unlockkey.KeyUrl;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Key Vault SDK clients on one HTTP client. Key clients are kept per (vault, identity), for at most
 * {@link #MAX_VAULT_CLIENTS} of them, and cryptography clients, bound to one key URL, per (key URL,
 * identity), for at most {@link #MAX_KEY_CLIENTS}; each (vault or key, identity) is dropped after
 * {@link #MAX_IDLE} unused, so that callers naming ever new key URLs keep a bounded number (issue
 * #15); the vaults' challenges the SDK keeps beside them are bounded likewise ({@link
 * VaultChallenges}). Each client is lent to one call at a time ({@link ClientPool} says why), and
 * kept for the next calls: per (vault, identity) as many as {@link KeyVaultSettings#keyClientsPerVault()}, since
 * every key read on a vault goes through that one pool and an audit reads the keys of up to
 * {@code cmk.audit.concurrency} pairs at once; per (key, identity) {@link #CLIENTS_KEPT_PER_KEY}, as
 * a key's wraps and unwraps at once are fewer. They hold no answers, so reusing them never makes an
 * answer stale.
 *
 * <p>Why a vault keeps as many as an audit reads at once (issue 16): with four kept, each warm audit
 * of 1,000 orders over ten keys of one vault made six key clients again, and each new client asked
 * its identity's credential for a token (MSAL's cache, on another thread, two log lines) before its
 * first read. A key client is about 1.5 KB and the token it holds (a cryptography client 2.8 KB), so
 * the vaults' clients kept are a few MB at most.
 *
 * <p>Why a cryptography client is kept (issue 16, item 5): its pipeline's bearer-token policy
 * holds the identity's Key Vault token. A client made per call had a policy without one, so every
 * wrap and unwrap first asked the identity's credential for a token again (MSAL's cache, answered
 * on another thread, with its log lines) before it could be sent. What is reused is only what the
 * identity itself was given: the cache key names the identity, the token is for Key Vault's scopes
 * only ({@link VaultScopeOnlyCredential}), and no decision is kept: every get, wrap and unwrap is
 * still decided by the vault, and on every request the order must hold the identity before any
 * client is asked for, and the directory's answer that it still exists decides before anything is
 * stored or answered (KeyRequirements).
 */
public final class KeyVaultClients {
    static final int MAX_VAULT_CLIENTS = 256;
    static final int MAX_KEY_CLIENTS = 1024;
    static final int CLIENTS_KEPT_PER_KEY = 4;
    static final Duration MAX_IDLE = Duration.ofMinutes(30);

    private final KeyVaultSettings settings;
    private final HttpClient httpClient;
    private final NameServers nameServers;
    private final BoundedCache<String, ClientPool<KeyAsyncClient>> keyClients =
            new BoundedCache<>(MAX_VAULT_CLIENTS, MAX_IDLE);
    private final BoundedCache<String, ClientPool<CryptographyAsyncClient>> cryptographyClients =
            new BoundedCache<>(MAX_KEY_CLIENTS, MAX_IDLE);
    private final VaultChallenges challenges = new VaultChallenges(MAX_VAULT_CLIENTS);

    public KeyVaultClients(KeyVaultSettings settings, Vertx vertx) {
        this(
                settings,
                SdkHttpClients.create(vertx, settings.trustedCertificate(), settings.timeout()),
                new VertxNameServers(vertx));
    }

    KeyVaultClients(KeyVaultSettings settings, HttpClient httpClient, NameServers nameServers) {
        this.settings = settings;
        this.httpClient = httpClient;
        this.nameServers = nameServers;
    }

    public VaultHostPolicy hostPolicy() {
        return settings.hostPolicy();
    }

    KeyVaultSettings settings() {
        return settings;
    }

    /** Asked when Vert.x's resolver failed for a vault's name without saying why. */
    NameServers nameServers() {
        return nameServers;
    }

    /** {@code call} on a key client of the key's vault, as {@code identityKey}, lent to it alone. */
    <T> Mono<T> withKeyClient(
            KeyUrl key, String identityKey, TokenCredential credential, Function<KeyAsyncClient, Mono<T>> call) {
        challenges.calling(key);
        return keyClients
                .get(
                        vaultClientsKey(key, identityKey),
                        k -> new ClientPool<>(settings.keyClientsPerVault(), () -> keyClient(key, credential)))
                .lend(call);
    }

    private static String vaultClientsKey(KeyUrl key, String identityKey) {
        return key.vaultUrl().toLowerCase(Locale.ROOT) + "|" + identityKey;
    }

    private KeyAsyncClient keyClient(KeyUrl key, TokenCredential credential) {
        KeyClientBuilder builder =
                configured(new KeyClientBuilder(), credential).vaultUrl(key.vaultUrl());
        if (settings.hostPolicy().isLocal(key)) {
            builder.disableChallengeResourceVerification();
        }
        return builder.buildAsyncClient();
    }

    /**
     * {@code call} on a cryptography client of the key, as {@code identityKey}, lent to it alone.
     * Key caching is off so that wrap and unwrap always run in the vault: with it on, the SDK
     * wraps locally with the public key and the vault never checks the wrapKey permission.
     */
    <T> Mono<T> withCryptographyClient(
            KeyUrl key,
            String identityKey,
            TokenCredential credential,
            Function<CryptographyAsyncClient, Mono<T>> call) {
        challenges.calling(key);
        return cryptographyClients
                .get(
                        key.keyId() + "|" + identityKey,
                        k -> new ClientPool<>(CLIENTS_KEPT_PER_KEY, () -> cryptographyClient(key, credential)))
                .lend(call);
    }

    private CryptographyAsyncClient cryptographyClient(KeyUrl key, TokenCredential credential) {
        CryptographyClientBuilder builder = configured(new CryptographyClientBuilder(), credential)
                .keyIdentifier(key.keyId())
                .disableKeyCaching();
        if (settings.hostPolicy().isLocal(key)) {
            builder.disableChallengeResourceVerification();
        }
        return builder.buildAsyncClient();
    }

    /** For how many (vault, identity) key clients are kept now. */
    int cachedClients() {
        return keyClients.size();
    }

    /** How many key clients of the key's vault wait for the next calls as {@code identityKey} now. */
    int idleKeyClients(KeyUrl key, String identityKey) {
        return keyClients
                .find(vaultClientsKey(key, identityKey))
                .map(ClientPool::idle)
                .orElse(0);
    }

    /** For how many (key, identity) cryptography clients are kept now. */
    int cachedCryptographyClients() {
        return cryptographyClients.size();
    }

    /** What every client here has: the identity's Key Vault-only credential, the one HTTP client, the retries. */
    private <B extends TokenCredentialTrait<B> & HttpTrait<B>> B configured(B builder, TokenCredential credential) {
        return builder.credential(new VaultScopeOnlyCredential(credential))
                .httpClient(httpClient)
                .httpLogOptions(SdkHttpLogs.none())
                .retryOptions(retryOptions())
                .addPolicy(new CappedRetryAfterPolicy(settings.maxRetryAfter()));
    }

    /** The SDK's retries, but not of a token refused: that is the answer (the SDK retries any exception). */
    private RetryOptions retryOptions() {
        ExponentialBackoffOptions backoff = new ExponentialBackoffOptions()
                .setMaxRetries(settings.maxRetries())
                .setBaseDelay(settings.retryDelay());
        ExponentialBackoff asTheSdkDoes = new ExponentialBackoff(backoff);
        return new RetryOptions(backoff)
                .setShouldRetryCondition(condition ->
                        !(condition.getThrowable() != null && KeyVaultErrors.isTokenRefusal(condition.getThrowable()))
                                && asTheSdkDoes.shouldRetryCondition(condition));
    }
}
