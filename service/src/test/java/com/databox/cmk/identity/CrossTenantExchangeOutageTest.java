package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.databox.cmk.testing.StubResponse;
import java.net.ConnectException;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The cross-tenant exchange (a multi-tenant application's token in the vault's tenant, for a client
 * assertion of the order's identity), through the real azure-identity and MSAL clients: Entra ID
 * down there is an outage to retry, not the application's refusal, which before it read as
 * (a 400 CrossTenantIdentityAccessForbidden to the caller, a Data Copy hold and a false finding).
 */
class CrossTenantExchangeOutageTest {
    /** The order identity's token, the assertion of every exchange (also CrossTenantExchangeWorkersTest's). */
    static final TokenCredential ORDER_IDENTITY = new TokenCredential() {
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.just(getTokenSync(request));
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            return new AccessToken(
                    "the.identity.assertion", OffsetDateTime.now().plusHours(1));
        }
    };

    /** The application's token in a vault's tenant, from an Entra ID that answers {@code status} (0: none). */
    private static Throwable exchangeFailure(int status, String body, AtomicInteger asked) {
        HttpClient entraId = request -> {
            asked.incrementAndGet();
            return status == 0
                    ? Mono.error(new ConnectException("Connection refused"))
                    : Mono.just(new StubResponse(
                            request,
                            status,
                            new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"),
                            body));
        };
        TokenCredential application = new CrossTenantExchange("https://login.test", false, entraId)
                .credential(ORDER_IDENTITY, UUID.randomUUID().toString());
        return catchThrowable(() -> application.getTokenSync(new TokenRequestContext()
                .addScopes("https://vault.azure.net/.default")
                .setTenantId(UUID.randomUUID().toString())));
    }

    @Test
    void entraIdAnswering503IsAnOutage() {
        AtomicInteger asked = new AtomicInteger();
        Throwable failure = exchangeFailure(
                503, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"try later\"}", asked);
        assertThat(failure)
                .isInstanceOfSatisfying(
                        TokenServiceUnavailable.class,
                        e -> assertThat(e.status()).isEqualTo(503));
        assertThat(asked).hasValueGreaterThan(0);
    }

    @Test
    void entraIdNotAnsweringIsAnOutage() {
        assertThat(exchangeFailure(0, null, new AtomicInteger())).isInstanceOf(TokenServiceUnavailable.class);
    }

    @Test
    void anApplicationNotConsentedInTheVaultsTenantIsRefused() {
        Throwable failure = exchangeFailure(
                400,
                "{\"error\":\"unauthorized_client\",\"error_description\":\"AADSTS700016: Application with "
                        + "identifier 'x' was not found in the directory.\",\"error_codes\":[700016]}",
                new AtomicInteger());
        assertThat(failure).isInstanceOf(CrossTenantTokenRefused.class);
    }
}
