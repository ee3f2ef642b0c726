package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.databox.cmk.testing.StubResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Two token requests of one credential at once, the token service answering one 503 and the other
 * 400: each failure is judged by what happened while it ran, and an outage is never taken for a
 * refusal. A credential of its own stands for MSAL: it asks the token service once, with the status
 * the test wants in the request's claims, and fails as MSAL does, without the status.
 */
class TokenServiceWatchTest {
    private final CountDownLatch firstAnswered = new CountDownLatch(1);
    private final CountDownLatch secondFailed = new CountDownLatch(1);

    private final HttpClient tokenService = new HttpClient() {
        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            return Mono.just(answer(request));
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            return answer(request);
        }

        private HttpResponse answer(HttpRequest request) {
            int status = Integer.parseInt(request.getUrl().getQuery().substring("status=".length()));
            return new StubResponse(request, status, new HttpHeaders(), "{\"error\":\"x\"}");
        }
    };

    private final TokenCredential credential = TokenServiceWatch.watched(
            watched -> new TokenCredential() {
                @Override
                public Mono<AccessToken> getToken(TokenRequestContext request) {
                    return Mono.fromCallable(() -> getTokenSync(request));
                }

                @Override
                public AccessToken getTokenSync(TokenRequestContext request) {
                    String status = request.getClaims();
                    HttpResponse response = watched.sendSync(
                            new HttpRequest(HttpMethod.GET, "http://169.254.169.254/token?status=" + status),
                            Context.NONE);
                    if (status.equals("503")) {
                        firstAnswered.countDown();
                        await(secondFailed);
                    }
                    throw new ClientAuthenticationException("Managed Identity authentication failed", response);
                }
            },
            tokenService);

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static TokenRequestContext answering(int status) {
        return new TokenRequestContext()
                .addScopes("https://vault.azure.net/.default")
                .setClaims(String.valueOf(status));
    }

    @Test
    void anOutageIsNotTakenForTheRefusalAnotherRequestMetMeanwhile() {
        CompletableFuture<Throwable> first =
                CompletableFuture.supplyAsync(() -> catchThrowable(() -> credential.getTokenSync(answering(503))));
        await(firstAnswered);

        Throwable second = catchThrowable(() -> credential.getTokenSync(answering(400)));
        secondFailed.countDown();

        assertThat(second).isInstanceOf(ClientAuthenticationException.class);
        assertThat(first.join())
                .isInstanceOfSatisfying(
                        TokenServiceUnavailable.class,
                        e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void theAsynchronousPathJudgesEachFailureByItsOwnTime() {
        secondFailed.countDown();
        assertThat(catchThrowable(() -> credential.getToken(answering(503)).block()))
                .isInstanceOf(TokenServiceUnavailable.class);
        assertThat(catchThrowable(() -> credential.getToken(answering(404)).block()))
                .isInstanceOf(ClientAuthenticationException.class)
                .isNotInstanceOf(TokenServiceUnavailable.class);
    }
}
