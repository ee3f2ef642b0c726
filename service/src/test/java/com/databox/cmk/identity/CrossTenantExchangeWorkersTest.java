package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpResponse;
import com.databox.cmk.testing.StubResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * An Entra ID that takes the exchange's calls and never answers (bug bash sx4, 2): the requests cut by their
 * deadline hold at most {@link CrossTenantExchange#MAX_RUNNING} exchanges, for no longer than the call limit, one
 * beyond the waiting ones is refused at once as the token service's outage, and an Entra ID answering again is
 * seen. Before, each cut exchange kept a thread of Reactor's shared {@code boundedElastic} blocked in MSAL, its call
 * never given up, and the next exchange queued behind them.
 */
class CrossTenantExchangeWorkersTest {
    private static final Duration CALL_LIMIT = Duration.ofMillis(1500);
    private static final Duration REQUEST_DEADLINE = Duration.ofMillis(300);

    private static final TokenCredential ORDER_IDENTITY = CrossTenantExchangeOutageTest.ORDER_IDENTITY;

    /** Entra ID's token endpoint: while {@code answering} is false, it takes the call and never answers. */
    private static final class EntraId implements HttpClient {
        final AtomicBoolean answering = new AtomicBoolean();
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger mostPending = new AtomicInteger();
        final AtomicInteger givenUp = new AtomicInteger();

        @Override
        public Mono<HttpResponse> send(com.azure.core.http.HttpRequest request) {
            if (answering.get()) {
                return Mono.just(new StubResponse(
                        request,
                        200,
                        new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"),
                        "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                                + "\"access_token\":\"the.application.token\"}"));
            }
            return Mono.<HttpResponse>never()
                    .doOnSubscribe(s -> mostPending.accumulateAndGet(pending.incrementAndGet(), Math::max))
                    .doOnCancel(() -> {
                        pending.decrementAndGet();
                        givenUp.incrementAndGet();
                    });
        }
    }

    private static Mono<AccessToken> exchange(CrossTenantExchange exchange) {
        return exchange.credential(ORDER_IDENTITY, UUID.randomUUID().toString())
                .getToken(new TokenRequestContext()
                        .addScopes("https://vault.azure.net/.default")
                        .setTenantId(UUID.randomUUID().toString()));
    }

    @Test
    void exchangesCutByTheirDeadlineHoldAtMostTheBoundAndOneMoreIsRefusedAsAnOutage() throws Exception {
        EntraId entraId = new EntraId();
        CrossTenantExchange exchange = new CrossTenantExchange("https://login.test", false, entraId, CALL_LIMIT);
        int admitted = CrossTenantExchange.MAX_RUNNING + CrossTenantExchange.MAX_WAITING;

        List<CompletableFuture<AccessToken>> cut = new ArrayList<>();
        for (int i = 0; i < admitted; i++) {
            cut.add(exchange(exchange).timeout(REQUEST_DEADLINE).toFuture());
        }
        for (CompletableFuture<AccessToken> request : cut) {
            assertThat(catchThrowable(request::join)).hasCauseInstanceOf(TimeoutException.class);
        }
        awaitUntil(() -> entraId.pending.get() >= CrossTenantExchange.MAX_RUNNING, Duration.ofSeconds(5));
        Thread.sleep(200);
        assertThat(entraId.mostPending).hasValue(CrossTenantExchange.MAX_RUNNING);

        long asked = System.nanoTime();
        Throwable refused = catchThrowable(() -> exchange(exchange).block(Duration.ofSeconds(2)));
        assertThat(refused).isInstanceOf(TokenServiceUnavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(500));

        entraId.answering.set(true);
        // The stuck calls are given up at the call limit, the waiting exchanges whose callers left are not run.
        awaitUntil(() -> entraId.pending.get() == 0, CALL_LIMIT.multipliedBy(2));
        assertThat(entraId.givenUp).hasValue(CrossTenantExchange.MAX_RUNNING);
        AccessToken token = exchange(exchange)
                .retryWhen(
                        Retry.fixedDelay(10, Duration.ofMillis(100)).filter(TokenServiceUnavailable.class::isInstance))
                .block(Duration.ofSeconds(5));
        assertThat(token.getToken()).isEqualTo("the.application.token");
    }

    @Test
    void aCallEntraIdDoesNotAnswerIsGivenUpAtTheLimitAsAnOutage() {
        EntraId entraId = new EntraId();
        CrossTenantExchange exchange = new CrossTenantExchange("https://login.test", false, entraId, CALL_LIMIT);

        long asked = System.nanoTime();
        Throwable failure = catchThrowable(() -> exchange(exchange).block(CALL_LIMIT.multipliedBy(4)));

        assertThat(failure).isInstanceOf(TokenServiceUnavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(CALL_LIMIT.multipliedBy(2));
        assertThat(entraId.pending).hasValue(0);
    }

    private static void awaitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }
}
