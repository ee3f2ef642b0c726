package com.databox.cmk.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * One credential with the token service's answers to it counted, so that its failure tells an
 * outage from a refusal: the credential's exception does not (azure-identity answers both with
 * "Managed Identity authentication failed" and MSAL's exception without the status), and a 503
 * taken for a deleted identity is a false finding of the audit and a 400 to a caller who did nothing
 * wrong. A failure during which the token service answered 429 or 5xx, or did not answer, is thrown
 * as {@link TokenServiceUnavailable}. The answers are not tied to the request that asked (MSAL sends
 * its own requests), so two requests at once may see each other's: a refusal then reads as an outage
 * (the caller retries), never an outage as a refusal (before, one last status per credential let a
 * concurrent request's 400 turn a 503 into "identity not found").
 */
final class TokenServiceWatch implements HttpClient {
    private final HttpClient next;
    /** Answers that were 429 or 5xx, or none (the request failed). */
    private final AtomicLong outages = new AtomicLong();

    private volatile int lastOutageStatus;

    private TokenServiceWatch(HttpClient next) {
        this.next = next;
    }

    /** The credential {@code build} makes with {@code httpClient}, its token service watched. */
    static TokenCredential watched(Function<HttpClient, TokenCredential> build, HttpClient httpClient) {
        TokenServiceWatch watch = new TokenServiceWatch(httpClient);
        TokenCredential credential = build.apply(watch);
        return new TokenCredential() {
            @Override
            public Mono<AccessToken> getToken(TokenRequestContext request) {
                return Mono.defer(() -> {
                    long outagesBefore = watch.outages.get();
                    return credential.getToken(request).onErrorMap(e -> watch.explain(e, outagesBefore));
                });
            }

            @Override
            public AccessToken getTokenSync(TokenRequestContext request) {
                long outagesBefore = watch.outages.get();
                try {
                    return credential.getTokenSync(request);
                } catch (RuntimeException e) {
                    throw watch.explain(e, outagesBefore) instanceof RuntimeException explained ? explained : e;
                }
            }
        };
    }

    private Throwable explain(Throwable failure, long outagesBefore) {
        return outages.get() > outagesBefore ? new TokenServiceUnavailable(lastOutageStatus, failure) : failure;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return watch(next.send(request));
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return watch(next.send(request, context));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        try {
            HttpResponse response = next.sendSync(request, context);
            answered(response.getStatusCode());
            return response;
        } catch (RuntimeException e) {
            answered(0);
            throw e;
        }
    }

    private Mono<HttpResponse> watch(Mono<HttpResponse> sent) {
        return sent.doOnNext(response -> answered(response.getStatusCode())).doOnError(e -> answered(0));
    }

    /** {@code status} 0: no answer. */
    private void answered(int status) {
        if (status == 0 || status == 429 || status >= 500) {
            lastOutageStatus = status;
            outages.incrementAndGet();
        }
    }
}
