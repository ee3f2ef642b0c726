package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorOptions;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client-assertion credential (workload identity federation) gets its tokens from the emulator's
 * Entra authority: for the app registration and for a managed identity, each presenting the
 * AWS-issued token; an assertion for another audience is refused.
 */
class ClientAssertionCredentialTest {
    private static KeyVaultEmulator emulator;
    private static Vertx vertx;
    private static HttpClient httpClient;

    @BeforeAll
    static void start() {
        emulator = KeyVaultEmulator.start(new EmulatorOptions(0, "unused", null, null));
        vertx = Vertx.vertx();
        httpClient = SdkHttpClients.create(vertx, Optional.of(emulator.caCertificatePemPath()), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        emulator.close();
        vertx.close();
    }

    private static ManagedIdentityCredentials credentials(String assertion, IdentityInfo... known) {
        return ManagedIdentityCredentials.clientAssertion(
                emulator.defaultTenantId(),
                emulator.appClientId(),
                () -> assertion,
                emulator.entraAuthorityHost(),
                false,
                httpClient,
                resourceId -> java.util.Arrays.stream(known)
                        .filter(i -> i.resourceId().equals(resourceId.value()))
                        .findFirst()
                        .orElseThrow()
                        .clientId());
    }

    private static JsonNode claims(AccessToken token) throws Exception {
        return new ObjectMapper()
                .readTree(Base64.getUrlDecoder().decode(token.getToken().split("\\.")[1]));
    }

    @Test
    void theAppRegistrationGetsAKeyVaultToken() throws Exception {
        AccessToken token = credentials(LambdaStack.awsToken(
                        "api://AzureADTokenExchange", Instant.now().plusSeconds(600)))
                .credential(WrappingIdentity.SERVICE)
                .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default"));

        JsonNode claims = claims(token);
        assertThat(claims.path("aud").asText()).isEqualTo("https://vault.azure.net");
        assertThat(claims.path("appid").asText()).isEqualTo(emulator.appClientId());
        assertThat(claims.path("oid").asText()).isEqualTo(emulator.appPrincipalId());
        assertThat(claims.path("tid").asText()).isEqualTo(emulator.defaultTenantId());
        assertThat(token.getExpiresAt()).isAfter(java.time.OffsetDateTime.now());
    }

    @Test
    void aManagedIdentityGetsATokenByItsClientId() throws Exception {
        IdentityInfo identity = new EmulatorAdminClient(emulator.adminUrl())
                .createIdentity("uai-" + UUID.randomUUID(), emulator.defaultTenantId());
        AccessToken token = credentials(
                        LambdaStack.awsToken(
                                "api://AzureADTokenExchange", Instant.now().plusSeconds(600)),
                        identity)
                .credential(new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(identity.resourceId())))
                .getTokenSync(new TokenRequestContext().addScopes("https://management.azure.com/.default"));

        JsonNode claims = claims(token);
        assertThat(claims.path("aud").asText()).isEqualTo("https://management.azure.com");
        assertThat(claims.path("oid").asText()).isEqualTo(identity.principalId());
        assertThat(claims.path("xms_mirid").asText()).isEqualTo(identity.resourceId());
    }

    @Test
    void anAssertionForAnotherAudienceIsRefused() {
        ManagedIdentityCredentials wrong = credentials(
                LambdaStack.awsToken("sts.amazonaws.com", Instant.now().plusSeconds(600)));
        assertThatThrownBy(() -> wrong.credential(WrappingIdentity.SERVICE)
                        .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default")))
                .hasMessageContaining("AADSTS700212");
    }
}
