package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.testing.inmemory.TestClock;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

class VerifiedTokensUnitTest {
    private static final Duration CAP = Duration.ofMinutes(2);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T03:00:00Z"));
    private final VerifiedTokens tokens = new VerifiedTokens(3, CAP, clock);
    private final Map<String, Instant> expiries = new HashMap<>();
    private final List<String> verifications = new ArrayList<>();

    /** As the real verifier: refuses what it does not know (a forged token) and what has expired. */
    private JWTCallerPrincipal verify(String token) throws ParseException {
        verifications.add(token);
        Instant exp = expiries.get(token);
        if (exp == null) {
            throw new ParseException("The signature does not match");
        }
        if (!clock.instant().isBefore(exp)) {
            throw new ParseException("The token has expired");
        }
        JwtClaims claims = new JwtClaims();
        claims.setSubject(token);
        claims.setClaim("exp", exp.getEpochSecond());
        return new DefaultJWTCallerPrincipal(claims);
    }

    private String token(String name, Duration lifetime) {
        expiries.put(name, clock.instant().plus(lifetime));
        return name;
    }

    @Test
    void theSameTokenAgainIsNotVerifiedAgain() throws Exception {
        String token = token("token-a", Duration.ofHours(1));

        JWTCallerPrincipal first = tokens.principal(token, this::verify);
        JWTCallerPrincipal second = tokens.principal(token, this::verify);

        assertThat(second).isSameAs(first);
        assertThat(verifications).containsExactly(token);
    }

    @Test
    void aDifferentTokenIsVerifiedOnItsOwn() throws Exception {
        String a = token("token-a", Duration.ofHours(1));
        String b = token("token-b", Duration.ofHours(1));

        JWTCallerPrincipal first = tokens.principal(a, this::verify);
        JWTCallerPrincipal other = tokens.principal(b, this::verify);

        assertThat(other.getSubject()).isEqualTo("token-b");
        assertThat(first.getSubject()).isEqualTo("token-a");
        assertThat(verifications).containsExactly(a, b);
    }

    @Test
    void anExpiredTokenIsRefusedThoughItWasVerifiedBefore() throws Exception {
        String token = token("token-a", Duration.ofSeconds(30));
        tokens.principal(token, this::verify);

        clock.advance(Duration.ofSeconds(30));

        assertThatThrownBy(() -> tokens.principal(token, this::verify))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("expired");
        assertThat(verifications).containsExactly(token, token);
    }

    @Test
    void aTokenLivingLongerIsVerifiedAgainAfterTheCap() throws Exception {
        String token = token("token-a", Duration.ofHours(1));
        tokens.principal(token, this::verify);

        clock.advance(CAP.minusSeconds(1));
        tokens.principal(token, this::verify);
        clock.advance(Duration.ofSeconds(1));
        tokens.principal(token, this::verify);

        assertThat(verifications).containsExactly(token, token);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        assertThatThrownBy(() -> tokens.principal("forged", this::verify)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> tokens.principal("forged", this::verify)).isInstanceOf(ParseException.class);

        assertThat(verifications).containsExactly("forged", "forged");
        assertThat(tokens.size()).isZero();
    }

    @Test
    void keepsAtMostItsNumberOfTokens() throws Exception {
        for (int i = 0; i < 10; i++) {
            tokens.principal(token("token-" + i, Duration.ofHours(1)), this::verify);
        }

        assertThat(tokens.size()).isEqualTo(3);
        tokens.principal("token-0", this::verify);
        assertThat(verifications).as("the least recently used was dropped").hasSize(11);
    }
}
