package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.databox.cmk.testing.inmemory.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** One identity's token shared by every client until it is due, and kept while its refresh is refused. */
class SharedTokensUnitTest {
    private static final TokenRequestContext VAULT = new TokenRequestContext()
            .addScopes("https://vault.azure.net/.default")
            .setTenantId("tenant-b");

    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T12:00:00Z"));
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicBoolean refusing = new AtomicBoolean();

    /** Tokens valid for an hour from the clock's now, numbered; refused while {@link #refusing}. */
    private final TokenCredential tokenService = new TokenCredential() {
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromSupplier(() -> getTokenSync(request));
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            int n = asked.incrementAndGet();
            if (refusing.get()) {
                throw new IllegalStateException("AADSTS700016: the application has no service principal");
            }
            return new AccessToken(
                    "token-" + n + "-" + request.getTenantId(),
                    clock.instant().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));
        }
    };

    private final SharedTokens shared = new SharedTokens(tokenService, clock);

    @Test
    void everyClientGetsTheSameTokenAndAFreshOneOnlyWhenItIsDue() {
        assertThat(shared.getTokenSync(VAULT).getToken()).isEqualTo("token-1-tenant-b");
        assertThat(shared.getToken(VAULT).block().getToken()).isEqualTo("token-1-tenant-b");
        assertThat(asked).hasValue(1);

        assertThat(shared.getTokenSync(new TokenRequestContext()
                                .addScopes("https://vault.azure.net/.default")
                                .setTenantId("tenant-c"))
                        .getToken())
                .as("another tenant's token is another")
                .isEqualTo("token-2-tenant-c");

        clock.advance(Duration.ofMinutes(56));
        assertThat(shared.getTokenSync(VAULT).getToken()).isEqualTo("token-3-tenant-b");
    }

    @Test
    void aRefusedRefreshKeepsTheTokenUntilItExpiresThenEveryCallIsRefused() {
        shared.getTokenSync(VAULT);
        refusing.set(true);
        assertThat(shared.getTokenSync(VAULT).getToken())
                .as("a client made after the refusal")
                .isEqualTo("token-1-tenant-b");
        assertThat(asked).as("not due: not asked").hasValue(1);

        clock.advance(Duration.ofMinutes(57));
        assertThat(shared.getTokenSync(VAULT).getToken()).isEqualTo("token-1-tenant-b");
        assertThat(shared.getToken(VAULT).block().getToken()).isEqualTo("token-1-tenant-b");

        clock.advance(Duration.ofMinutes(4));
        assertThatThrownBy(() -> shared.getTokenSync(VAULT)).hasMessageContaining("AADSTS700016");
        assertThatThrownBy(() -> shared.getToken(VAULT).block()).hasMessageContaining("AADSTS700016");
    }

    /** A vault's claims challenge (continuous access evaluation) needs a new token: it is always asked. */
    @Test
    void aRequestWithClaimsAlwaysAsksTheTokenService() {
        shared.getTokenSync(VAULT);
        TokenRequestContext challenged = new TokenRequestContext()
                .addScopes("https://vault.azure.net/.default")
                .setTenantId("tenant-b")
                .setClaims("{\"access_token\":{\"nbf\":{\"essential\":true}}}");
        shared.getTokenSync(challenged);
        shared.getToken(challenged).block();
        assertThat(asked).hasValue(3);
    }
}
