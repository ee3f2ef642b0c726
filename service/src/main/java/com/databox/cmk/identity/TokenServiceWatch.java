package com.databox.cmk.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * One credential with the token service's last answer to it kept, so that its failure tells an
 * outage from a refusal: the credential's exception does not (azure-identity answers both with
 * "Managed Identity authentication failed" and MSAL's exception without the status), and a 503
 * taken for a deleted identity is a false finding of the audit and a 400 to a caller who did nothing
 * wrong. A failure whose last answer was 429, 5xx or none is thrown as {@link TokenServiceUnavailable}.
 */
final class TokenServiceWatch implements HttpClient {
    /** No request sent yet. */
    private static final int NOT_ASKED = -1;

    private static final int NO_ANSWER = 0;

    private final HttpClient next;
    private volatile int lastStatus = NOT_ASKED;

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
                return credential.getToken(request).onErrorMap(watch::explain);
            }

            @Override
            public AccessToken getTokenSync(TokenRequestContext request) {
                try {
                    return credential.getTokenSync(request);
                } catch (RuntimeException e) {
                    throw watch.explain(e) instanceof RuntimeException explained ? explained : e;
                }
            }
        };
    }

    private Throwable explain(Throwable failure) {
        int status = lastStatus;
        boolean outage = status == NO_ANSWER || status == 429 || status >= 500;
        return outage ? new TokenServiceUnavailable(status, failure) : failure;
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
            lastStatus = response.getStatusCode();
            return response;
        } catch (RuntimeException e) {
            lastStatus = NO_ANSWER;
            throw e;
        }
    }

    private Mono<HttpResponse> watch(Mono<HttpResponse> sent) {
        return sent.doOnNext(response -> lastStatus = response.getStatusCode()).doOnError(e -> lastStatus = NO_ANSWER);
    }
}
