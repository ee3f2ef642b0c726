package com.databox.cmk.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>The platform's managed-identity endpoint ({@link #watchedIdentityEndpoint}) also tells the service itself
 * refused ({@code 401}/{@code 403}: its {@code X-IDENTITY-HEADER} missing or not valid) from the identity unknown
 * to it ({@code 400}): the first is thrown as {@link IdentityEndpointRefusedService}, the service's own fault
 * (since 2026-12-08, bug bash ob1 F1: before, it was taken for the customer's deleted identity). Entra ID's token
 * endpoint answers {@code 401} for a client assertion an identity's federated credential does not trust, which is
 * the customer's to mend, so there a {@code 401} stays a refusal of the identity.
 */
final class TokenServiceWatch implements HttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient next;
    /** The answer's 401 and 403 refuse the caller, the service, and not the identity it named. */
    private final boolean refusesTheCaller;
    /** Answers that were 429 or 5xx, or none (the request failed). */
    private final AtomicLong outages = new AtomicLong();
    /** Answers that refused the service itself (only where {@link #refusesTheCaller}). */
    private final AtomicLong callerRefusals = new AtomicLong();

    private volatile int lastOutageStatus;
    private volatile Refusal lastCallerRefusal;

    /** What the endpoint answered when it refused the service. */
    private record Refusal(int status, String words) {}

    private TokenServiceWatch(HttpClient next, boolean refusesTheCaller) {
        this.next = next;
        this.refusesTheCaller = refusesTheCaller;
    }

    /** The credential {@code build} makes with {@code httpClient}, its token service watched. */
    static TokenCredential watched(Function<HttpClient, TokenCredential> build, HttpClient httpClient) {
        return watched(build, httpClient, false);
    }

    /** As {@link #watched}, for the platform's managed-identity endpoint, whose 401 and 403 refuse the service. */
    static TokenCredential watchedIdentityEndpoint(Function<HttpClient, TokenCredential> build, HttpClient httpClient) {
        return watched(build, httpClient, true);
    }

    private static TokenCredential watched(
            Function<HttpClient, TokenCredential> build, HttpClient httpClient, boolean refusesTheCaller) {
        TokenServiceWatch watch = new TokenServiceWatch(httpClient, refusesTheCaller);
        TokenCredential credential = build.apply(watch);
        return new TokenCredential() {
            @Override
            public Mono<AccessToken> getToken(TokenRequestContext request) {
                return Mono.defer(() -> {
                    long outagesBefore = watch.outages.get();
                    long refusalsBefore = watch.callerRefusals.get();
                    return credential
                            .getToken(request)
                            .onErrorMap(e -> watch.explain(e, outagesBefore, refusalsBefore));
                });
            }

            @Override
            public AccessToken getTokenSync(TokenRequestContext request) {
                long outagesBefore = watch.outages.get();
                long refusalsBefore = watch.callerRefusals.get();
                try {
                    return credential.getTokenSync(request);
                } catch (RuntimeException e) {
                    throw watch.explain(e, outagesBefore, refusalsBefore) instanceof RuntimeException explained
                            ? explained
                            : e;
                }
            }
        };
    }

    /** An outage met meanwhile reads as the outage (the caller retries), then the service's own refusal. */
    private Throwable explain(Throwable failure, long outagesBefore, long refusalsBefore) {
        if (outages.get() > outagesBefore) {
            return new TokenServiceUnavailable(lastOutageStatus, failure);
        }
        Refusal refused = lastCallerRefusal;
        return callerRefusals.get() > refusalsBefore && refused != null
                ? new IdentityEndpointRefusedService(refused.status(), refused.words())
                : failure;
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
        HttpResponse response;
        try {
            response = next.sendSync(request, context);
            answered(response.getStatusCode());
        } catch (RuntimeException e) {
            answered(0);
            throw e;
        }
        if (!refusesCaller(response)) {
            return response;
        }
        HttpResponse buffered = response.buffer();
        callerRefused(response.getStatusCode(), buffered.getBodyAsBinaryData().toBytes());
        return buffered;
    }

    private Mono<HttpResponse> watch(Mono<HttpResponse> sent) {
        return sent.doOnNext(response -> answered(response.getStatusCode()))
                .doOnError(e -> answered(0))
                .flatMap(response -> {
                    if (!refusesCaller(response)) {
                        return Mono.just(response);
                    }
                    HttpResponse buffered = response.buffer();
                    return buffered.getBodyAsByteArray()
                            .defaultIfEmpty(new byte[0])
                            .map(body -> {
                                callerRefused(response.getStatusCode(), body);
                                return buffered;
                            });
                });
    }

    private boolean refusesCaller(HttpResponse response) {
        int status = response.getStatusCode();
        return refusesTheCaller && (status == 401 || status == 403);
    }

    /**
     * Kept before the credential's client reads it: MSAL's exception does not always carry it, and azure-identity
     * wraps that in "see inner exception".
     */
    private void callerRefused(int status, byte[] body) {
        lastCallerRefusal = new Refusal(status, endpointsWords(body));
        callerRefusals.incrementAndGet();
    }

    /** App Service answers {@code {"statusCode","message","correlationId"}}; other endpoints other shapes, or text. */
    private static String endpointsWords(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode answer = JSON.readTree(text);
            for (String field : new String[] {"message", "error_description", "error"}) {
                JsonNode words = answer == null ? null : answer.get(field);
                if (words != null && words.isTextual()) {
                    return words.asText();
                }
            }
        } catch (JsonProcessingException notJson) {
            // Its text, then.
        }
        return text;
    }

    /** {@code status} 0: no answer. */
    private void answered(int status) {
        if (status == 0 || status == 429 || status >= 500) {
            lastOutageStatus = status;
            outages.incrementAndGet();
        }
    }
}
