package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.testing.StubResponse;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Bug bash sx1 B2: the managed identity's calls to the platform's identity endpoint went on the token services'
 * client, which takes the environment's HTTPS proxy; they go on a client of their own, which takes none
 * ({@code SdkHttpClients.forIdentityEndpoint}), and the token services' client keeps Entra ID's calls.
 */
class CredentialsFactoryUnitTest {
    @Test
    void theManagedIdentitysTokenIsAskedOnTheIdentityEndpointsOwnClient() {
        List<String> identityEndpoint = new CopyOnWriteArrayList<>();
        List<String> tokenServices = new CopyOnWriteArrayList<>();
        HttpClient identityEndpointClient = request -> {
            identityEndpoint.add(request.getUrl().getHost());
            return Mono.just(new StubResponse(
                    request,
                    200,
                    new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"),
                    "{\"access_token\":\"a.b.c\",\"expires_on\":\"" + (System.currentTimeMillis() / 1000 + 3600)
                            + "\",\"resource\":\"https://vault.azure.net\",\"token_type\":\"Bearer\"}"));
        };
        HttpClient tokenServicesClient = request -> {
            tokenServices.add(request.getUrl().toString());
            return Mono.error(new IllegalStateException("the identity endpoint's call came to the token services"));
        };
        Vertx vertx = Vertx.vertx();
        try {
            ManagedIdentityCredentials credentials = CredentialsFactory.create(
                    TestCmkConfigs.with(Map.of("cmk.identity.credential", CredentialsFactory.MANAGED_IDENTITY))
                            .identity(),
                    Duration.ofSeconds(30),
                    tokenServicesClient,
                    identityEndpointClient,
                    vertx,
                    id -> "00000000-0000-0000-0000-000000000001");
            // An identity of its own: MSAL keeps the tokens it got in a cache of the whole process.
            WrappingIdentity identity = new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(
                    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/r/providers/"
                            + "Microsoft.ManagedIdentity/userAssignedIdentities/" + UUID.randomUUID()));

            String token = credentials
                    .credential(identity)
                    .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default"))
                    .getToken();

            assertThat(token).isEqualTo("a.b.c");
            // IDENTITY_ENDPOINT as the build sets it for the tests: http://127.0.0.1:{emulator.port}/msi/token.
            assertThat(identityEndpoint).containsExactly("127.0.0.1");
            assertThat(tokenServices).isEmpty();
        } finally {
            vertx.close();
        }
    }
}
