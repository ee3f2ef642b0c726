package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.core.util.Context;
import com.databox.cmk.emulator.EmulatorOptions;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The emulator's identity endpoint, through the real azure-identity and MSAL clients, asked with a header that is
 * not the platform's (a wrong or stale {@code IDENTITY_HEADER}): the service itself is refused, which is its own
 * fault, never the customer's deleted identity (bug bash ob1 F1: both were "Managed Identity authentication failed",
 * and the customer was told to choose another identity). An identity the endpoint does not know stays a refusal of
 * the identity. An emulator of its own: MSAL asks {@code IDENTITY_ENDPOINT}, which names the shared one, so the
 * requests are sent to this one instead, with the header the case wants. (Not the app's own identity: MSAL may hold
 * a token of it from another test of this JVM, and would not ask.)
 */
class IdentityEndpointRefusalTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static final KeyVaultEmulator EMULATOR = KeyVaultEmulator.start(EmulatorOptions.defaults());
    private static final HttpClient TRANSPORT =
            new VertxHttpClientBuilder().vertx(VERTX).build();
    private static final TokenRequestContext VAULT =
            new TokenRequestContext().addScopes("https://vault.azure.net/.default");

    @AfterAll
    static void stop() {
        EMULATOR.close();
        VERTX.close();
    }

    @Test
    void aWrongIdentityHeaderIsTheServiceRefusedNotTheIdentityDeleted() {
        Throwable failure = tokenOf(newIdentity(), "WRONG-HEADER-VALUE-1234");

        assertThat(failure).isInstanceOfSatisfying(IdentityEndpointRefusedService.class, refused -> {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.getMessage())
                    .contains("HTTP 403")
                    .contains("The X-IDENTITY-HEADER header is not valid.")
                    .doesNotContain("WRONG-HEADER-VALUE-1234")
                    .doesNotContain(EMULATOR.identityHeader());
        });
    }

    @Test
    void anIdentityTheEndpointDoesNotKnowIsStillTheIdentitysAbsence() {
        Throwable failure = tokenOf(newIdentity(), EMULATOR.identityHeader());

        assertThat(failure)
                .isInstanceOf(ClientAuthenticationException.class)
                .isNotInstanceOf(IdentityEndpointRefusedService.class);
    }

    private static Throwable tokenOf(WrappingIdentity identity, String header) {
        return catchThrowable(() -> new ManagedIdentityCredentials(toThisEmulator(header))
                .credential(identity)
                .getTokenSync(VAULT));
    }

    /** A new identity each time: MSAL keeps the tokens it got for the whole process. */
    private static WrappingIdentity newIdentity() {
        return new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId("/subscriptions/"
                + EMULATOR.subscriptionId() + "/resourceGroups/" + EMULATOR.resourceGroup()
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-" + UUID.randomUUID()));
    }

    private static HttpClient toThisEmulator(String header) {
        return new HttpClient() {
            @Override
            public Mono<HttpResponse> send(HttpRequest request) {
                return TRANSPORT.send(redirected(request));
            }

            @Override
            public Mono<HttpResponse> send(HttpRequest request, Context context) {
                return TRANSPORT.send(redirected(request), context);
            }

            @Override
            public HttpResponse sendSync(HttpRequest request, Context context) {
                return TRANSPORT.sendSync(redirected(request), context);
            }

            private HttpRequest redirected(HttpRequest request) {
                String query = request.getUrl().getQuery();
                return request.setUrl(EMULATOR.identityEndpoint() + (query == null ? "" : "?" + query))
                        .setHeader(HttpHeaderName.fromString("X-IDENTITY-HEADER"), header);
            }
        };
    }
}
