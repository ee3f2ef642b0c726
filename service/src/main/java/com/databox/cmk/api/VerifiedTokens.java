package com.databox.cmk.api;

import com.databox.cmk.cache.BoundedCache;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Bearer tokens already verified, so that a client sending the same token again is not verified
 * again (issue 16, item 4: a third of get-order's CPU went to the RSA signature check). Keyed by
 * the SHA-256 of the exact token, so any change to it is a different, unverified token and no token
 * is kept as a key; each kept until its {@code exp} or {@code cap} after its verification,
 * whichever comes first, and at most {@code maxTokens} of them. Only a token that passed every
 * check is kept: a refusal is never remembered as anything. Why this is safe: README, "Security".
 */
final class VerifiedTokens {
    /** Verifies a token in full: signature, issuer, audience, times and the service's own claims. */
    @FunctionalInterface
    interface Verifier {
        JWTCallerPrincipal verify(String token) throws ParseException;
    }

    private record Verified(JWTCallerPrincipal principal, Instant until) {}

    /** Carries a refusal out of the cache's factory, which takes no checked exception. */
    private static final class Refused extends RuntimeException {
        private Refused(ParseException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final BoundedCache<String, Verified> verified;
    private final Duration cap;
    private final Clock clock;

    VerifiedTokens(int maxTokens, Duration cap, Clock clock) {
        this.verified = new BoundedCache<>(maxTokens, cap);
        this.cap = cap;
        this.clock = clock;
    }

    /** The token's principal: remembered while still within its time, otherwise verified by {@code verifier}. */
    JWTCallerPrincipal principal(String token, Verifier verifier) throws ParseException {
        try {
            return verified.get(sha256(token), this::inTime, digest -> verify(token, verifier))
                    .principal();
        } catch (Refused e) {
            throw (ParseException) e.getCause();
        }
    }

    int size() {
        return verified.size();
    }

    private boolean inTime(Verified entry) {
        return clock.instant().isBefore(entry.until());
    }

    private Verified verify(String token, Verifier verifier) {
        JWTCallerPrincipal principal;
        try {
            principal = verifier.verify(token);
        } catch (ParseException e) {
            throw new Refused(e);
        }
        Instant expires = Instant.ofEpochSecond(principal.getExpirationTime());
        Instant capped = clock.instant().plus(cap);
        return new Verified(principal, expires.isBefore(capped) ? expires : capped);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
