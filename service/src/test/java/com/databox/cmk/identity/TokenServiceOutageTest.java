package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.databox.cmk.testing.StubResponse;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The token service's outage is not the identity's absence, through the real azure-identity and MSAL
 * clients: both end in "Managed Identity authentication failed" with no status, so before, an identity
 * endpoint answering 503 was taken for a deleted identity (a 400 to the caller, a false finding and a
 * KeyAccessLost event from the audit). Each outage case waits out MSAL's own retries (about 25 s for
 * an answer, 5 s for none).
 */
class TokenServiceOutageTest {
    /** An identity of its own per case: MSAL keeps the tokens it got in a cache of the whole process. */
    private static WrappingIdentity newIdentity() {
        return new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
                        + java.util.UUID.randomUUID()));
    }

    /** The token as the credential asks for it of a token service that answers {@code status} (0: none). */
    private static Throwable tokenFrom(int status, AtomicInteger asked) {
        HttpClient tokenService = request -> {
            asked.incrementAndGet();
            return status == 0
                    ? Mono.error(new ConnectException("Connection refused"))
                    : Mono.just(answer(request, status));
        };
        return catchThrowable(() -> new ManagedIdentityCredentials(tokenService)
                .credential(newIdentity())
                .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default")));
    }

    @Test
    void anEndpointAnswering503AfterItsClientsRetriesIsAnOutage() {
        AtomicInteger asked = new AtomicInteger();
        Throwable failure = tokenFrom(503, asked);
        assertThat(failure)
                .isInstanceOfSatisfying(
                        TokenServiceUnavailable.class,
                        e -> assertThat(e.status()).isEqualTo(503));
        assertThat(asked).as("MSAL retried first").hasValueGreaterThan(1);
    }

    @Test
    void anEndpointThatDoesNotAnswerIsAnOutage() {
        Throwable failure = tokenFrom(0, new AtomicInteger());
        assertThat(failure)
                .isInstanceOfSatisfying(
                        TokenServiceUnavailable.class,
                        e -> assertThat(e.status()).isZero());
    }

    /** Throttled (429) after its client's retries: the token service is busy, an outage to retry, no refusal. */
    @Test
    void anEndpointThrottlingAfterItsClientsRetriesIsAnOutage() {
        Throwable failure = tokenFrom(429, new AtomicInteger());
        assertThat(failure)
                .isInstanceOfSatisfying(
                        TokenServiceUnavailable.class,
                        e -> assertThat(e.status()).isEqualTo(429));
    }

    /** What the endpoint answers for an identity unknown to it (deleted, or not assigned to the app). */
    @Test
    void anEndpointRefusingTheIdentityIsNoOutage() {
        Throwable failure = tokenFrom(400, new AtomicInteger());
        assertThat(failure).isNotNull().isNotInstanceOf(TokenServiceUnavailable.class);
        assertThat(failure).isInstanceOf(com.azure.core.exception.ClientAuthenticationException.class);
    }

    /**
     * The endpoint refusing the service itself (its {@code X-IDENTITY-HEADER}, 401 or 403) is the service's fault,
     * with the endpoint's words, never the identity's absence (bug bash ob1 F1); not retried.
     */
    @Test
    void anEndpointRefusingTheServiceIsTheServicesFaultWithTheEndpointsWords() {
        for (int status : new int[] {401, 403}) {
            AtomicInteger asked = new AtomicInteger();
            HttpClient tokenService = request -> {
                asked.incrementAndGet();
                return Mono.just(new StubResponse(
                        request,
                        status,
                        new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"),
                        "{\"statusCode\":" + status + ",\"message\":\"The X-IDENTITY-HEADER header is not valid.\","
                                + "\"correlationId\":\"c\"}"));
            };
            Throwable failure = catchThrowable(() -> new ManagedIdentityCredentials(tokenService)
                    .credential(newIdentity())
                    .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default")));

            assertThat(failure)
                    .as("HTTP %s", status)
                    .isInstanceOfSatisfying(IdentityEndpointRefusedService.class, e -> {
                        assertThat(e.status()).isEqualTo(status);
                        assertThat(e.getMessage()).contains("(HTTP " + status + "): \"The X-IDENTITY-HEADER header");
                    });
            assertThat(asked).as("asked again, refused again").hasValue(1);
        }
    }

    /** An endpoint that answers its refusal in text, not JSON: its text is the message, at most 200 characters. */
    @Test
    void anEndpointRefusingTheServiceInTextIsQuotedShort() {
        HttpClient tokenService = request -> Mono.just(
                new StubResponse(request, 401, new HttpHeaders(), "Invalid secret token header\n" + "x".repeat(500)));
        Throwable failure = catchThrowable(() -> new ManagedIdentityCredentials(tokenService)
                .credential(newIdentity())
                .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default")));

        assertThat(failure)
                .isInstanceOfSatisfying(
                        IdentityEndpointRefusedService.class,
                        e -> assertThat(e.getMessage())
                                .contains("\"Invalid secret token header?xxx")
                                .hasSizeLessThan(400)
                                .doesNotContain("\n"));
    }

    /**
     * The credential's last answer is its latest: one that was down and then refuses the identity is the
     * identity's absence, not the outage before it; one that then answers gives the token.
     */
    @Test
    void aCredentialThatWasDownIsJudgedByItsLatestAnswer() {
        java.util.concurrent.atomic.AtomicReference<Integer> status =
                new java.util.concurrent.atomic.AtomicReference<>(0);
        HttpClient tokenService = request -> status.get() == 0
                ? Mono.error(new ConnectException("Connection refused"))
                : Mono.just(answer(request, status.get()));
        var credential = new ManagedIdentityCredentials(tokenService).credential(newIdentity());
        TokenRequestContext vault = new TokenRequestContext().addScopes("https://vault.azure.net/.default");

        assertThat(catchThrowable(() -> credential.getTokenSync(vault))).isInstanceOf(TokenServiceUnavailable.class);
        status.set(400);
        assertThat(catchThrowable(() -> credential.getTokenSync(vault)))
                .isInstanceOf(com.azure.core.exception.ClientAuthenticationException.class)
                .isNotInstanceOf(TokenServiceUnavailable.class);
        status.set(200);
        assertThat(credential.getTokenSync(vault).getToken()).isEqualTo("a.b.c");
    }

    /** The token service's answer: a token when {@code status} is 200, its error otherwise. */
    private static HttpResponse answer(HttpRequest request, int status) {
        String body = status == 200
                ? "{\"access_token\":\"a.b.c\",\"expires_on\":\"" + (System.currentTimeMillis() / 1000 + 3600)
                        + "\",\"resource\":\"https://vault.azure.net\",\"token_type\":\"Bearer\"}"
                : "{\"error\":\"unavailable\",\"error_description\":\"try later\"}";
        return new StubResponse(
                request, status, new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"), body);
    }
}
