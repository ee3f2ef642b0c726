package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.implementation.KeyVaultCredentialPolicy;
import com.databox.cmk.testing.StubResponse;
import com.databox.cmk.unlockkey.KeyUrl;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Bug bash sx1 (outbound request hygiene), B1: every cache is bounded. KeyVaultClients keeps at most
 * {@link KeyVaultClients#MAX_VAULT_CLIENTS} vaults' clients, but the Key Vault SDK's challenge policy kept the
 * challenge of every vault host it ever met in a static map of its own ({@code KeyVaultCredentialPolicy
 * .CHALLENGE_CACHE}, keyed by host:port, never emptied by itself): a caller naming ever new (existing) vaults grew it
 * for the life of the instance. The map is read here by reflection, as nothing else shows it.
 */
class ChallengeCacheBoundUnitTest {
    private static final TokenCredential CREDENTIAL =
            request -> Mono.just(new AccessToken("token", OffsetDateTime.now().plusHours(1)));

    /** Vault hosts that received a request with a token, after their challenge. */
    private final Set<String> answeredWithAToken = ConcurrentHashMap.newKeySet();

    private final HttpClient vaults = request -> {
        if (request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) == null) {
            return Mono.just(KeyVaultClientsUnitTest.challenge(request, "https://vault.azure.net"));
        }
        answeredWithAToken.add(request.getUrl().getHost());
        return Mono.just(new StubResponse(
                request,
                404,
                new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"),
                "{\"error\":{\"code\":\"KeyNotFound\",\"message\":\"no such key\"}}"));
    };

    private final KeyVaultClients clients =
            new KeyVaultClients(KeyVaultClientsUnitTest.settings(), vaults, KeyVaultClientsUnitTest.NOT_ASKED);

    /** What other tests of this JVM left there is not this one's. */
    @BeforeEach
    void noChallengeKeptYet() {
        KeyVaultCredentialPolicy.clearCache();
    }

    @Test
    void theChallengesKeptStayWithinTheVaultsBoundAfterManyDistinctVaults() throws Exception {
        Map<?, ?> challenges = sdkChallengeCache();
        int hosts = 3 * KeyVaultClients.MAX_VAULT_CLIENTS;

        for (int i = 0; i < hosts; i++) {
            KeyUrl key = key(i);
            boolean throughAKeyClient = i % 2 == 0;
            assertThat(catchThrowable(() -> (throughAKeyClient
                                    ? clients.withKeyClient(
                                            key,
                                            "service",
                                            CREDENTIAL,
                                            client -> client.getKey(key.name(), key.version()))
                                    : clients.withCryptographyClient(
                                            key,
                                            "service",
                                            CREDENTIAL,
                                            client -> client.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32])))
                            .block()))
                    .as("the vault's answer after its challenge, 404")
                    .isNotNull();
            assertThat(challenges.size())
                    .as("vault hosts whose challenge the SDK keeps after %d distinct vaults were called", i + 1)
                    .isLessThanOrEqualTo(KeyVaultClients.MAX_VAULT_CLIENTS);
        }

        assertThat(clients.cachedClients()).isLessThanOrEqualTo(KeyVaultClients.MAX_VAULT_CLIENTS);
        assertThat(answeredWithAToken)
                .as("every vault met its challenge and was then asked with a token, those called after the"
                        + " challenges were forgotten too")
                .hasSize(hosts);
    }

    @Test
    void aVaultCalledAgainAfterTheChallengesWereForgottenIsAnsweredWithAToken() throws Exception {
        KeyUrl first = key(0);
        for (int i = 0; i <= KeyVaultClients.MAX_VAULT_CLIENTS; i++) {
            KeyUrl key = key(i);
            assertThat(catchThrowable(() -> clients.withKeyClient(
                                    key, "service", CREDENTIAL, client -> client.getKey(key.name(), key.version()))
                            .block()))
                    .as("the vault's answer after its challenge, 404")
                    .isNotNull();
        }
        assertThat(sdkChallengeCache())
                .as("forgotten when one vault more was called")
                .hasSizeLessThanOrEqualTo(1);
        answeredWithAToken.clear();

        assertThat(catchThrowable(() -> clients.withCryptographyClient(
                                first,
                                "service",
                                CREDENTIAL,
                                client -> client.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]))
                        .block()))
                .as("the vault's answer after its challenge, 404")
                .isNotNull();

        assertThat(answeredWithAToken).containsExactly(first.host());
    }

    private static KeyUrl key(int vault) {
        return KeyUrl.parse(
                "https://sx1-vault" + vault + ".vault.azure.net/keys/k/" + String.format(Locale.ROOT, "%032x", vault));
    }

    private static Map<?, ?> sdkChallengeCache() throws ReflectiveOperationException {
        var field = Class.forName("com.azure.security.keyvault.keys.implementation.KeyVaultCredentialPolicy")
                .getDeclaredField("CHALLENGE_CACHE");
        field.setAccessible(true);
        return (Map<?, ?>) field.get(null);
    }
}
