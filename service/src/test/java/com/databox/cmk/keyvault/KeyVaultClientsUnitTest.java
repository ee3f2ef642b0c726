package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.identity.CredentialUnavailableException;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.identity.TokenServiceUnavailable;
import com.databox.cmk.testing.Pause;
import com.databox.cmk.testing.StubResponse;
import com.databox.cmk.unlockkey.KeyUrl;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The clients stay bounded however many distinct key URLs callers name (issue #15: a client was
 * kept per key URL, ~4 KB each, forever). Every call goes through the real SDK clients and
 * pipelines to an in-process HTTP client that answers Key Vault's challenge, then 404.
 */
class KeyVaultClientsUnitTest {
    private static final TokenCredential CREDENTIAL =
            request -> Mono.just(new AccessToken("token", OffsetDateTime.now().plusHours(1)));

    private final AtomicLong calls = new AtomicLong();
    /** The name server, which no call here needs: these vaults' names are not resolved. */
    static final NameServers NOT_ASKED = host -> {
        throw new AssertionError("The name server was asked about " + host);
    };

    private final KeyVaultClients clients = new KeyVaultClients(settings(), vault(), NOT_ASKED);

    /** Key Vault's answer to a call without a token: a challenge naming the authority and the token's audience. */
    static HttpResponse challenge(HttpRequest request, String resource) {
        return answer(
                request,
                401,
                new HttpHeaders()
                        .set(
                                HttpHeaderName.WWW_AUTHENTICATE,
                                "Bearer authorization=\"https://login.microsoftonline.com/tenant\", resource=\""
                                        + resource + "\""),
                "");
    }

    /** Key Vault's challenge to a call without a token, then "no such key". */
    private HttpClient vault() {
        return request -> {
            calls.incrementAndGet();
            if (request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) == null) {
                return Mono.just(challenge(request, "https://vault.azure.net"));
            }
            return Mono.just(answer(
                    request,
                    404,
                    new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"),
                    "{\"error\":{\"code\":\"KeyNotFound\",\"message\":\"no such key\"}}"));
        };
    }

    private static HttpResponse answer(HttpRequest request, int status, HttpHeaders headers, String body) {
        return new StubResponse(request, status, headers, body);
    }

    private void callWithDistinctUrl(int i) {
        // Ten vaults, each key URL named once: a new key name and version every time.
        KeyUrl key = KeyUrl.parse("https://vault" + (i % 10) + ".vault.azure.net/keys/k" + i + "/"
                + String.format(Locale.ROOT, "%032x", i));
        assertThatThrownBy(() -> clients.withKeyClient(
                                key, "service", CREDENTIAL, client -> client.getKey(key.name(), key.version()))
                        .block())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> clients.withCryptographyClient(
                                key,
                                "service",
                                CREDENTIAL,
                                client -> client.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]))
                        .block())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void tenThousandDistinctKeyUrlsLeaveTheHeapFlat() {
        for (int i = 0; i < 500; i++) {
            callWithDistinctUrl(i);
        }
        long before = usedHeapAfterGc();
        for (int i = 500; i < 10_500; i++) {
            callWithDistinctUrl(i);
        }
        long after = usedHeapAfterGc();

        System.out.printf(
                "10,000 distinct key URLs: used heap %.1f MiB before, %.1f MiB after (%+.1f MiB), %d key clients kept,"
                        + " %d HTTP calls%n",
                before / 1048576.0,
                after / 1048576.0,
                (after - before) / 1048576.0,
                clients.cachedClients(),
                calls.get());
        assertThat(clients.cachedClients())
                .as("one key client per vault and identity")
                .isEqualTo(10);
        assertThat(clients.cachedCryptographyClients())
                .as("cryptography clients are kept up to their bound")
                .isEqualTo(KeyVaultClients.MAX_KEY_CLIENTS);
        // A client kept per key URL took ~4 KB: 10,000 of them, 40 MB. Generous for the GC's noise.
        assertThat(after - before).as("heap growth in bytes").isLessThan(8L * 1024 * 1024);
    }

    @Test
    void keepsAtMostItsBoundOfVaults() {
        for (int i = 0; i < KeyVaultClients.MAX_VAULT_CLIENTS + 100; i++) {
            KeyUrl key = KeyUrl.parse("https://v" + i + ".vault.azure.net/keys/k");
            clients.withKeyClient(key, "service", CREDENTIAL, client -> Mono.empty())
                    .block();
        }
        assertThat(clients.cachedClients()).isEqualTo(KeyVaultClients.MAX_VAULT_CLIENTS);
    }

    /**
     * Issue 16, item 5: a cryptography client made per call had its own token policy, so every
     * wrap and unwrap asked the credential for a token again. Kept per key and identity, each
     * client asks once (the key client and the cryptography client have a pipeline each).
     */
    @Test
    void anIdentitysTokenIsAskedForOncePerClientNotPerCall() {
        AtomicLong asked = new AtomicLong();
        TokenCredential counting = request -> {
            asked.incrementAndGet();
            return CREDENTIAL.getToken(request);
        };
        KeyUrl key =
                KeyUrl.parse("https://contoso-kek.vault.azure.net/keys/k/" + String.format(Locale.ROOT, "%032x", 1));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> clients.withKeyClient(
                                    key, "uai-1", counting, client -> client.getKey(key.name(), key.version()))
                            .block())
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> clients.withCryptographyClient(
                                    key,
                                    "uai-1",
                                    counting,
                                    client -> client.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]))
                            .block())
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> clients.withCryptographyClient(
                                    key,
                                    "uai-1",
                                    counting,
                                    client -> client.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]))
                            .block())
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        assertThat(asked.get())
                .as("token requests for 15 calls as one identity")
                .isEqualTo(2);
        assertThat(lent(clients, key, "uai-1", counting)).isSameAs(lent(clients, key, "uai-1", counting));
    }

    /**
     * A token refused (the identity deleted, a cross-tenant application not trusted) is the answer: the SDK
     * retries any exception, and asked the identity endpoint four times over 5.6 s for the same refusal. An
     * outage of the token service is retried, as any other outage.
     */
    @Test
    void aTokenRefusedIsNotAskedForAgainButAnOutageOfTheTokenServiceIs() {
        KeyVaultClients retrying = new KeyVaultClients(settings(3), vault(), NOT_ASKED);
        KeyUrl key = KeyUrl.parse("https://refused.vault.azure.net/keys/k/" + String.format(Locale.ROOT, "%032x", 4));
        for (RuntimeException refusal : List.of(
                new CredentialUnavailableException("Managed Identity authentication is not available."),
                new ClientAuthenticationException("Managed Identity authentication failed.", null))) {
            AtomicLong asked = new AtomicLong();
            TokenCredential refusing = request -> {
                asked.incrementAndGet();
                return Mono.error(refusal);
            };
            assertThatThrownBy(() -> retrying.withKeyClient(
                                    key,
                                    "uai-refused-" + refusal.getClass().getSimpleName(),
                                    refusing,
                                    client -> client.getKey(key.name(), key.version()))
                            .block())
                    .isSameAs(refusal);
            assertThat(asked.get()).as("token requests for %s", refusal).isEqualTo(1);
        }
        AtomicLong asked = new AtomicLong();
        TokenCredential down = request -> {
            asked.incrementAndGet();
            return Mono.error(new TokenServiceUnavailable(503, new IllegalStateException("503 from the endpoint")));
        };
        assertThatThrownBy(() -> retrying.withKeyClient(
                                key, "uai-down", down, client -> client.getKey(key.name(), key.version()))
                        .block())
                .isInstanceOf(TokenServiceUnavailable.class);
        assertThat(asked.get())
                .as("token requests while the token service is down")
                .isEqualTo(4);
    }

    /** What is kept for one identity is never used for another: each sends its own token. */
    @Test
    void eachIdentityHasItsOwnClientsAndToken() {
        List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        KeyVaultClients recording = new KeyVaultClients(
                settings(),
                request -> {
                    String authorization = request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION);
                    if (authorization != null) {
                        sent.add(authorization);
                    }
                    return vault().send(request);
                },
                NOT_ASKED);
        KeyUrl key = KeyUrl.parse("https://two.vault.azure.net/keys/k/" + String.format(Locale.ROOT, "%032x", 2));
        for (String identity : List.of("uai-a", "uai-b", "uai-a", "uai-b")) {
            TokenCredential own = request -> Mono.just(
                    new AccessToken("token-of-" + identity, OffsetDateTime.now().plusHours(1)));
            assertThatThrownBy(() -> recording
                            .withCryptographyClient(
                                    key,
                                    identity,
                                    own,
                                    client -> client.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]))
                            .block())
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        assertThat(sent)
                .containsExactly(
                        "Bearer token-of-uai-a",
                        "Bearer token-of-uai-b",
                        "Bearer token-of-uai-a",
                        "Bearer token-of-uai-b");
        assertThat(lent(recording, key, "uai-a", CREDENTIAL)).isNotSameAs(lent(recording, key, "uai-b", CREDENTIAL));
    }

    /**
     * Calls in flight at once on one key each have a client of their own: the SDK's token policy made
     * a call that met another's token look-up on a shared client wait 500 ms (ClientPool). Idle, the
     * clients are kept, up to their bound, for the next calls.
     */
    @Test
    void callsAtOnceOnOneKeyEachHaveAClientOfTheirOwn() throws Exception {
        int atOnce = KeyVaultClients.CLIENTS_KEPT_PER_KEY + 2;
        CountDownLatch allSent = new CountDownLatch(atOnce);
        KeyVaultClients waiting =
                new KeyVaultClients(settings(), answeredOnceAllSent(new AtomicReference<>(allSent)), NOT_ASKED);
        KeyUrl key = KeyUrl.parse("https://at-once.vault.azure.net/keys/k/" + String.format(Locale.ROOT, "%032x", 3));
        Set<Object> lentAtOnce = Collections.newSetFromMap(new IdentityHashMap<>());
        List<CompletableFuture<WrapResult>> calls = new ArrayList<>();
        for (int i = 0; i < atOnce; i++) {
            calls.add(waiting.withCryptographyClient(key, "uai-1", CREDENTIAL, client -> {
                        synchronized (lentAtOnce) {
                            lentAtOnce.add(client);
                        }
                        return client.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]);
                    })
                    .toFuture());
        }
        for (CompletableFuture<WrapResult> call : calls) {
            assertThatThrownBy(() -> call.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
        }
        assertThat(allSent.getCount()).as("every call was in flight at once").isZero();
        assertThat(lentAtOnce).as("distinct clients for calls at once").hasSize(atOnce);

        Object next = lent(waiting, key, "uai-1", CREDENTIAL);
        assertThat(lentAtOnce).as("the next call reuses one of them").anyMatch(client -> client == next);
    }

    /**
     * An audit reads the keys of up to {@code cmk.audit.concurrency} pairs at once, all on the vault's
     * one pool of key clients: the next audit's reads find as many clients kept, and none asks the
     * identity's credential for a token again (issue 16: with four kept, each warm audit over ten keys
     * made six clients again, each asking MSAL for a token before its first read).
     */
    @Test
    void asManyKeyReadsAtOnceAsAnAuditMakesFindTheirClientsKeptNextTime() throws Exception {
        int atOnce = settings().keyClientsPerVault();
        AtomicInteger tokensAsked = new AtomicInteger();
        TokenCredential counting = request -> {
            tokensAsked.incrementAndGet();
            return CREDENTIAL.getToken(request);
        };
        AtomicReference<CountDownLatch> allSent = new AtomicReference<>();
        KeyVaultClients waiting = new KeyVaultClients(settings(), answeredOnceAllSent(allSent), NOT_ASKED);

        allSent.set(new CountDownLatch(atOnce));
        Set<Object> first = keyReadsAtOnce(waiting, atOnce, counting);
        int tokensOfTheFirst = tokensAsked.get();
        KeyUrl anyKeyOfTheVault = keyOfTheAuditedVault(0);
        Pause.until(
                "every client of the first reads kept for the next",
                () -> waiting.idleKeyClients(anyKeyOfTheVault, "uai-1") == atOnce,
                Duration.ofSeconds(5));
        allSent.set(new CountDownLatch(atOnce));
        Set<Object> second = keyReadsAtOnce(waiting, atOnce, counting);

        assertThat(first).as("a client of its own for each read at once").hasSize(atOnce);
        assertThat(second).as("the same clients, kept").hasSize(atOnce).allMatch(first::contains);
        assertThat(tokensAsked.get())
                .as("no token asked for again")
                .isEqualTo(tokensOfTheFirst)
                .isPositive();
    }

    /**
     * Key Vault as {@link #vault()}, answering an authorized call only once every call of the round is in
     * flight: none can end before the others have their client.
     */
    private HttpClient answeredOnceAllSent(AtomicReference<CountDownLatch> allSent) {
        return request -> {
            if (request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) != null) {
                CountDownLatch round = allSent.get();
                round.countDown();
                return Mono.fromCallable(() -> round.await(10, TimeUnit.SECONDS))
                        .subscribeOn(Schedulers.boundedElastic())
                        .then(vault().send(request));
            }
            return vault().send(request);
        };
    }

    /** Reads of {@code atOnce} keys of one vault at once, as one identity; the clients they were lent. */
    /**
     * A vault's challenge naming another Key Vault audience than its own domain's (here Managed HSM's, from a
     * *.vault.azure.net host) is refused by the SDK's challenge resource verification, on for every vault but the
     * allowed local hosts: the identity's token for that audience is never asked for, nor sent to that host.
     */
    @Test
    void aChallengeForAnotherAudienceThanTheVaultsDomainGetsNoToken() {
        AtomicInteger tokensAsked = new AtomicInteger();
        AtomicInteger sentWithToken = new AtomicInteger();
        HttpClient otherAudience = request -> {
            if (request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) != null) {
                sentWithToken.incrementAndGet();
            }
            return Mono.just(challenge(request, "https://managedhsm.azure.net"));
        };
        TokenCredential counting = request -> {
            tokensAsked.incrementAndGet();
            return CREDENTIAL.getToken(request);
        };
        KeyVaultClients vaults = new KeyVaultClients(settings(), otherAudience, NOT_ASKED);
        KeyUrl key = keyOfTheAuditedVault(0);

        assertThatThrownBy(() -> vaults.withKeyClient(
                                key, "uai-1", counting, client -> client.getKey(key.name(), key.version()))
                        .block(Duration.ofSeconds(20)))
                .isNotNull();
        assertThat(tokensAsked).as("no token asked for the other audience").hasValue(0);
        assertThat(sentWithToken).as("no token sent").hasValue(0);
    }

    /**
     * More reads at once than a vault keeps clients for (cmk.keyvault.key-clients-per-vault): each has a client, and
     * afterwards exactly the bound is kept, the rest dropped (the memory bound of KeyVaultClients).
     */
    @Test
    void readsBeyondTheBoundOfAVaultsClientsLeaveOnlyTheBoundKept() throws Exception {
        int kept = settings().keyClientsPerVault();
        int atOnce = kept + 2;
        AtomicReference<CountDownLatch> allSent = new AtomicReference<>(new CountDownLatch(atOnce));
        KeyVaultClients waiting = new KeyVaultClients(settings(), answeredOnceAllSent(allSent), NOT_ASKED);

        Set<Object> lent = keyReadsAtOnce(waiting, atOnce, CREDENTIAL);
        KeyUrl anyKeyOfTheVault = keyOfTheAuditedVault(0);
        Pause.until(
                "the clients given back",
                () -> waiting.idleKeyClients(anyKeyOfTheVault, "uai-1") >= kept,
                Duration.ofSeconds(5));
        Thread.sleep(300);

        assertThat(lent).as("a client of its own for each read at once").hasSize(atOnce);
        assertThat(waiting.idleKeyClients(anyKeyOfTheVault, "uai-1"))
                .as("kept: the bound, not one more")
                .isEqualTo(kept);
    }

    private static Set<Object> keyReadsAtOnce(KeyVaultClients clients, int atOnce, TokenCredential credential)
            throws Exception {
        Set<Object> lentAtOnce = Collections.newSetFromMap(new IdentityHashMap<>());
        List<CompletableFuture<?>> reads = new ArrayList<>();
        for (int i = 0; i < atOnce; i++) {
            KeyUrl key = keyOfTheAuditedVault(i);
            reads.add(clients.withKeyClient(key, "uai-1", credential, client -> {
                        synchronized (lentAtOnce) {
                            lentAtOnce.add(client);
                        }
                        return client.getKey(key.name(), key.version());
                    })
                    .toFuture());
        }
        for (CompletableFuture<?> read : reads) {
            assertThatThrownBy(() -> read.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
        }
        return lentAtOnce;
    }

    private static KeyUrl keyOfTheAuditedVault(int i) {
        return KeyUrl.parse(
                "https://audited.vault.azure.net/keys/k" + i + "/" + String.format(Locale.ROOT, "%032x", i + 1));
    }

    /** The client a call on {@code key} as {@code identity} is lent. */
    private static Object lent(KeyVaultClients clients, KeyUrl key, String identity, TokenCredential credential) {
        return clients.withCryptographyClient(key, identity, credential, Mono::just)
                .block();
    }

    /** No retries, 5 s per attempt: the settings of the clients tests call through. */
    static KeyVaultSettings settings() {
        return settings(0);
    }

    static KeyVaultSettings settings(int maxRetries) {
        return new KeyVaultSettings(
                new VaultHostPolicy(CmkDefaults.vaultHostSuffixes(), List.of()),
                Optional.empty(),
                maxRetries,
                Duration.ofMillis(10),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                CmkDefaults.audit().concurrency(),
                CmkDefaults.maxWaitingRequests());
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // The lowest of a few collections: one can leave garbage that the next one takes.
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
