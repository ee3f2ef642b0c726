package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
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
        return new WrappingIdentity.ManagedIdentity(
                "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
                        + java.util.UUID.randomUUID());
    }

    /** The token as the credential asks for it of a token service that answers {@code status} (0: none). */
    private static Throwable tokenFrom(int status, AtomicInteger asked) {
        HttpClient tokenService = request -> {
            asked.incrementAndGet();
            return status == 0
                    ? Mono.error(new ConnectException("Connection refused"))
                    : Mono.just(new Answer(request, status));
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

    /** What the endpoint answers for an identity unknown to it (deleted, or not assigned to the app). */
    @Test
    void anEndpointRefusingTheIdentityIsNoOutage() {
        Throwable failure = tokenFrom(400, new AtomicInteger());
        assertThat(failure).isNotNull().isNotInstanceOf(TokenServiceUnavailable.class);
        assertThat(failure).isInstanceOf(com.azure.core.exception.ClientAuthenticationException.class);
    }

    @Test
    void anOutageMSALsRetryOutlastsGivesTheToken() {
        AtomicInteger asked = new AtomicInteger();
        HttpClient recovering = request -> asked.incrementAndGet() == 1
                ? Mono.error(new ConnectException("Connection refused"))
                : Mono.just(new Answer(request, 200));
        Throwable failure = catchThrowable(() -> new ManagedIdentityCredentials(recovering)
                .credential(newIdentity())
                .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default")));
        assertThat(failure).as("the retry got the token").isNull();
    }

    private static final class Answer extends HttpResponse {
        private final int status;

        Answer(HttpRequest request, int status) {
            super(request);
            this.status = status;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public String getHeaderValue(String name) {
            return getHeaders().getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json");
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.just(ByteBuffer.wrap(body()));
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(body());
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just(new String(body(), StandardCharsets.UTF_8));
        }

        @Override
        public Mono<String> getBodyAsString(java.nio.charset.Charset charset) {
            return getBodyAsString();
        }

        private byte[] body() {
            String json = status == 200
                    ? "{\"access_token\":\"a.b.c\",\"expires_on\":\"" + (System.currentTimeMillis() / 1000 + 3600)
                            + "\",\"resource\":\"https://vault.azure.net\",\"token_type\":\"Bearer\"}"
                    : "{\"error\":\"unavailable\",\"error_description\":\"try later\"}";
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }
}
