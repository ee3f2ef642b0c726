package com.databox.cmk.emulator.entra;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bug bash bb85 F3: the metadata Entra ID publishes per tenant, which MSAL for JavaScript and Python read
 * before the token endpoint, on the emulator's authority; and the callers' issuer's document names no
 * endpoint that is not served.
 */
class AuthorityMetadataTest {
    private final KeyVaultEmulator emulator = EmulatorTestSupport.shared();

    @Test
    void theAuthorityServesATenantsOpenIdConfigurationAndTheKeysItsTokensAreSignedWith() throws IOException {
        String tenant = UUID.randomUUID().toString();
        String authority = emulator.entraAuthorityHost() + "/" + tenant;

        JsonNode configuration = get(authority + "/v2.0/.well-known/openid-configuration");
        assertThat(configuration.path("issuer").asText())
                .isEqualTo("https://login.microsoftonline.com/" + tenant + "/v2.0");
        assertThat(configuration.path("token_endpoint").asText()).isEqualTo(authority + "/oauth2/v2.0/token");
        assertThat(configuration.path("authorization_endpoint").asText())
                .isEqualTo(authority + "/oauth2/v2.0/authorize");
        assertThat(configuration.path("token_endpoint_auth_methods_supported").toString())
                .contains("private_key_jwt");

        String token = new ManagedIdentityCredentialBuilder()
                .build()
                .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default"))
                .getToken();
        String keyId = Json.MAPPER
                .readTree(Json.fromBase64Url(token.split("\\.")[0]))
                .path("kid")
                .asText();
        JsonNode keys = get(configuration.path("jwks_uri").asText());
        assertThat(keys.path("keys").findValuesAsText("kid")).containsExactly(keyId);
    }

    @Test
    void theCallersIssuerAdvertisesNoEndpointItDoesNotServe() throws IOException {
        JsonNode discovery = get(emulator.entraIssuer() + "/.well-known/openid-configuration");
        assertThat(discovery.path("issuer").asText()).isEqualTo(emulator.entraIssuer());
        assertThat(discovery.path("jwks_uri").asText()).isEqualTo(emulator.entraJwksUri());
        List<String> unserved = new ArrayList<>();
        discovery.fields().forEachRemaining(field -> {
            if (field.getKey().endsWith("_endpoint") || field.getKey().endsWith("_uri")) {
                String url = field.getValue().asText();
                boolean served = List.of(HttpMethod.GET, HttpMethod.POST).stream()
                        .anyMatch(method -> send(method, url).getStatusCode() != 404);
                if (!served) {
                    unserved.add(field.getKey() + " " + url);
                }
            }
        });
        assertThat(unserved).isEmpty();
    }

    private static JsonNode get(String url) throws IOException {
        HttpResponse response = send(HttpMethod.GET, url);
        String body = response.getBodyAsBinaryData().toString();
        assertThat(response.getStatusCode()).as(url + " " + body).isEqualTo(200);
        return Json.MAPPER.readTree(body);
    }

    private static HttpResponse send(HttpMethod method, String url) {
        return EmulatorTestSupport.sdkHttpClient().sendSync(new HttpRequest(method, url), Context.NONE);
    }
}
