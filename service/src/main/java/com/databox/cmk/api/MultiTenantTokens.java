package com.databox.cmk.api;

import com.databox.cmk.app.CmkConfig;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.error.RequestInLog;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.sdkhttp.DocumentGets;
import io.smallrye.jwt.KeyFormat;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Callers' tokens from many Entra ID tenants (issue 12): the token's {@code tid} chooses the
 * tenant; a tenant that is not allowed is refused before anything is fetched; otherwise the token
 * is validated by smallrye-jwt against that tenant's own issuer and signing keys (one validator
 * per tenant, with the tenant's keys as {@link SigningKeys} fetched them), with the audience, algorithm and expiry the
 * {@code mp.jwt.*} settings give. On top: {@code tid} must be the tenant the issuer names,
 * {@code iat} may not lie in the future, and no token may live longer than Entra ID issues them.
 * A token that passed all of it is not verified again while it is remembered ({@link VerifiedTokens}).
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class MultiTenantTokens extends JWTCallerPrincipalFactory {
    /** At most this many tenants' validators (with their signing keys) are kept at once, the least recently used going first. */
    static final int MAX_CACHED_TENANTS = 1000;

    static final Duration TENANT_IDLE = Duration.ofHours(1);

    /** Verified tokens are remembered at most this long (and never past their {@code exp}). */
    private static final Duration VERIFIED_TOKEN_CAP = Duration.ofMinutes(2);

    /** Distinct tokens remembered at once; beyond it the least recently used is verified again when next sent. */
    private static final int MAX_VERIFIED_TOKENS = 10_000;

    /**
     * A signed JWT in compact form: three base64url parts (RFC 7515, 3.1 and 7.1). The token's reader skips any other
     * character, so the caller's token with a comma, a space or a '+' inside it was taken for the token issued (review
     * rv15 F5).
     */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder()
            .setSkipAllValidators()
            .setDisableRequireSignature()
            .setSkipSignatureVerification()
            .build();

    /** A tenant's keys are fetched again when this old (Entra ID rolls its signing keys over every few weeks). */
    static final Duration KEYS_REFRESH = Duration.ofHours(1);

    /** A token signed by a key the kept keys lack fetches them again, but not more often than this. */
    static final Duration UNKNOWN_KEY_REFETCH = Duration.ofMinutes(5);

    /** How long a fetch Entra ID did not answer is not made again (its Retry-After when longer). */
    static final Duration OUTAGE_REMEMBERED = Duration.ofSeconds(5);

    /** How long a tenant Entra ID has no keys for is refused without asking again. */
    static final Duration REFUSAL_REMEMBERED = Duration.ofMinutes(5);

    private final TenantAdmission admission;
    private final String issuerTemplate;
    private final SigningKeys signingKeys;
    private final long maxLifetimeSeconds;
    private final long skewSeconds;
    private final Clock clock;
    /**
     * The validators of tenants a token was verified for: a token that fails (a forged one, whose
     * {@code tid} anyone can write) never adds its tenant, so forged tokens of ever new tenants
     * cannot push out the callers' tenants and their signing keys (before, a thousand of them
     * emptied every tenant's validator).
     */
    private final BoundedCache<TenantId, TenantValidator> validators =
            new BoundedCache<>(MAX_CACHED_TENANTS, TENANT_IDLE);

    private final VerifiedTokens verified;

    /** Tenants whose last fetch failed, and until when that failure stands (see {@link #fetchOnce}). */
    private final BoundedCache<TenantId, FailedFetch> failedFetches =
            new BoundedCache<>(MAX_CACHED_TENANTS, TENANT_IDLE);

    /** The fetches of tenants' keys under way, one per tenant; as many as requests in flight at most. */
    private final ConcurrentHashMap<TenantId, CompletableFuture<SigningKeys.KeySet>> fetching =
            new ConcurrentHashMap<>();

    /** A tenant's keys, its validation settings, and its parser, which checks tokens against those keys. */
    private record TenantValidator(SigningKeys.KeySet keys, JWTAuthContextInfo context, DefaultJWTTokenParser parser) {
        boolean isAtLeastAsNewAs(TenantValidator other) {
            return !keys.fetchedAt().isBefore(other.keys.fetchedAt());
        }
    }

    /** What a token says of itself before its signature is checked: only to choose the validator and its key. */
    private record Claimed(String tenant, String keyId) {}

    @Inject
    public MultiTenantTokens(CmkConfig config, Vertx vertx) {
        this(config, DocumentGets.create(vertx, SigningKeys.TIMEOUT), Clock.systemUTC());
    }

    MultiTenantTokens(CmkConfig config, DocumentGets gets, Clock clock) {
        CmkConfig.Callers callers = config.callers();
        this.admission = TenantAdmission.of(callers.allowedTenants());
        this.issuerTemplate = callers.issuerTemplate();
        this.signingKeys = new SigningKeys(callers.jwksTemplate(), gets, clock);
        this.maxLifetimeSeconds = callers.maxLifetime().toSeconds();
        this.skewSeconds = callers.clockSkew().toSeconds();
        this.clock = clock;
        this.verified = new VerifiedTokens(MAX_VERIFIED_TOKENS, VERIFIED_TOKEN_CAP, clock);
    }

    /** The tenants whose validators are kept (a token of theirs was verified), for tests. */
    int trustedTenants() {
        return validators.size();
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo base) throws ParseException {
        if (!COMPACT_JWS.matcher(token).matches()) {
            throw new RefusedToken(TokenRefusal.MALFORMED, "The token is not a signed JWT in compact form");
        }
        JWTCallerPrincipal principal;
        try {
            principal = verified.principal(token, t -> verify(t, base));
        } catch (SigningKeysUnavailable outage) {
            throw outage;
        } catch (ParseException refused) {
            throw refusal(refused, token);
        }
        RequestInLog.caller(principal.getClaim("tid"));
        return principal;
    }

    /** The refusal with why and the tenant the token claims, which the operators' line names (bug bash ob1 F8). */
    private RefusedToken refusal(ParseException refused, String token) {
        RefusedToken typed = refused instanceof RefusedToken own
                ? own
                : new RefusedToken(reason(refused, token), refused.getMessage(), null, refused);
        return typed.claiming(claimedTenant(token));
    }

    /**
     * jose4j's reason, or, where smallrye-jwt checked the token's times itself (an {@code exp} before its {@code iat},
     * a lifetime too long: a failure without a cause), the times the token claims, read again unverified.
     */
    private TokenRefusal reason(ParseException refused, String token) {
        TokenRefusal reason = TokenRefusal.of(refused);
        if (reason != TokenRefusal.OTHER) {
            return reason;
        }
        try {
            JwtClaims claims = UNVERIFIED.process(token).getJwtClaims();
            long now = clock.instant().getEpochSecond();
            NumericDate expires = claims.getExpirationTime();
            NumericDate issued = claims.getIssuedAt();
            // Past, within the skew too: smallrye-jwt refuses an exp before the iat, as an issuer's clock behind
            // writes.
            if (expires != null && expires.getValue() <= now) {
                return TokenRefusal.EXPIRED;
            }
            if (issued != null && issued.getValue() > now + skewSeconds) {
                return TokenRefusal.NOT_YET_VALID;
            }
            if (expires != null && issued != null && expires.getValue() - issued.getValue() > maxLifetimeSeconds) {
                return TokenRefusal.TOO_LONG_LIFETIME;
            }
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return TokenRefusal.MALFORMED;
        }
        return reason;
    }

    /** The tenant the token's {@code tid} names, unverified, when it is a tenant ID: anyone can write a {@code tid}. */
    private static Optional<TenantId> claimedTenant(String token) {
        try {
            String tid = claimed(token).tenant();
            return TenantId.isWellFormed(tid) ? Optional.of(new TenantId(tid)) : Optional.empty();
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private JWTCallerPrincipal verify(String token, JWTAuthContextInfo base) throws ParseException {
        Claimed claimed = claimed(token);
        TenantId tenant = admission
                .admit(claimed.tenant())
                .orElseThrow(
                        () -> new RefusedToken(TokenRefusal.TENANT_NOT_SERVED, "The token's tenant is not served"));
        Optional<TenantValidator> kept = validators.find(tenant);
        TenantValidator validator = kept.isPresent()
                ? current(kept.get(), tenant, claimed.keyId(), base)
                : validator(base, tenant, fetchOnce(tenant));
        // As smallrye-jwt's own factory does, but for the principal's class.
        JwtContext parsed = validator.parser().parse(token, validator.context());
        JWTCallerPrincipal principal =
                new EntraIdPrincipal(parsed.getJoseObjects().getFirst().getHeader("typ"), parsed.getJwtClaims());
        checkClaims(principal, tenant);
        if (kept.isEmpty()) {
            keep(tenant, validator);
        }
        return principal;
    }

    /**
     * The kept validator, or one with the tenant's keys fetched again: when they are old, or lack the
     * token's key and were not fetched just now. Keys fetched again for a tenant already served are
     * kept at once, whatever the token turns out to be: they are Entra ID's answer, not the token's, and
     * a stream of tokens naming unknown keys then costs one fetch every few minutes, not one each.
     */
    private TenantValidator current(TenantValidator kept, TenantId tenant, String keyId, JWTAuthContextInfo base)
            throws ParseException {
        Duration age = Duration.between(kept.keys().fetchedAt(), clock.instant());
        boolean old = age.compareTo(KEYS_REFRESH) >= 0;
        boolean lacksKey = !kept.keys().has(keyId) && age.compareTo(UNKNOWN_KEY_REFETCH) >= 0;
        if (!old && !lacksKey) {
            return kept;
        }
        SigningKeys.KeySet keys;
        try {
            keys = fetchOnce(tenant);
        } catch (SigningKeysUnavailable e) {
            if (kept.keys().has(keyId)) {
                return kept; // Entra ID is down, but the keys kept still check this token
            }
            throw e;
        }
        return keep(tenant, validator(base, tenant, keys));
    }

    /**
     * The tenant's keys, fetched once for all the requests that need them at the same moment: a burst
     * of tokens naming a tenant whose keys are not kept (forged ones, say) makes one fetch, not one each.
     * A fetch that failed is not made again for a while ({@link #OUTAGE_REMEMBERED}, or Entra ID's own
     * Retry-After when longer; {@link #REFUSAL_REMEMBERED} for a tenant it does not know): until then the
     * failure is answered as it was, at once, so that Entra ID down (or tokens naming keys or tenants it
     * does not know) cannot make the service ask it on every request, each waiting out the timeouts.
     */
    private SigningKeys.KeySet fetchOnce(TenantId tenant) throws ParseException {
        Optional<FailedFetch> failed = failedFetches.find(tenant);
        Instant now = clock.instant();
        if (failed.isPresent() && now.isBefore(failed.get().until())) {
            throw failed.get().again(now);
        }
        try {
            return fetchShared(tenant);
        } catch (SigningKeysUnavailable e) {
            // The caller is told to retry when the service will ask Entra ID again, not before.
            Duration wait = e.retryAfter().compareTo(OUTAGE_REMEMBERED) > 0 ? e.retryAfter() : OUTAGE_REMEMBERED;
            SigningKeysUnavailable outage = new SigningKeysUnavailable(e, wait);
            failedFetches.get(
                    tenant, f -> false, t -> new FailedFetch(clock.instant().plus(wait), outage));
            throw outage;
        } catch (ParseException e) {
            failedFetches.get(
                    tenant, f -> false, t -> new FailedFetch(clock.instant().plus(REFUSAL_REMEMBERED), e));
            throw e;
        }
    }

    /** A fetch that failed, and until when its failure stands. */
    private record FailedFetch(Instant until, ParseException failure) {
        ParseException again(Instant now) {
            if (failure instanceof SigningKeysUnavailable) {
                Duration left = Duration.between(now, until);
                return new SigningKeysUnavailable(
                        "it did not answer a moment ago", left.getSeconds() < 1 ? Duration.ofSeconds(1) : left);
            }
            return failure;
        }
    }

    private SigningKeys.KeySet fetchShared(TenantId tenant) throws ParseException {
        CompletableFuture<SigningKeys.KeySet> mine = new CompletableFuture<>();
        CompletableFuture<SigningKeys.KeySet> fetch = fetching.putIfAbsent(tenant, mine);
        if (fetch == null) {
            try {
                mine.complete(signingKeys.fetch(tenant));
            } catch (ParseException | RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                // Whatever ended the fetch (an Error too): no request waiting on it may wait forever.
                mine.completeExceptionally(
                        new SigningKeysUnavailable("the fetch failed", SigningKeys.DEFAULT_RETRY_AFTER));
                fetching.remove(tenant, mine);
            }
            fetch = mine;
        }
        try {
            return fetch.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ParseException refused) {
                throw refused;
            }
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    private TenantValidator keep(TenantId tenant, TenantValidator validator) {
        return validators.get(tenant, kept -> kept.isAtLeastAsNewAs(validator), t -> validator);
    }

    private TenantValidator validator(JWTAuthContextInfo base, TenantId tenant, SigningKeys.KeySet keys) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(base);
        context.setIssuedBy(issuerTemplate.replace("{tenantid}", tenant.value()));
        context.setPublicKeyLocation(null);
        context.setPublicKeyContent(keys.document());
        context.setKeyFormat(KeyFormat.JWK);
        context.setMaxTimeToLiveSecs(maxLifetimeSeconds);
        context.setClockSkew((int) skewSeconds);
        return new TenantValidator(keys, context, new DefaultJWTTokenParser());
    }

    private void checkClaims(JWTCallerPrincipal principal, TenantId tenant) throws ParseException {
        if (!tenant.value().equalsIgnoreCase(principal.getClaim("tid"))) {
            throw new RefusedToken(TokenRefusal.TENANT_MISMATCH, "The token's tid is not its issuer's tenant");
        }
        long now = clock.instant().getEpochSecond();
        long issuedAt = principal.getIssuedAtTime();
        if (issuedAt <= 0 || issuedAt > now + skewSeconds) {
            throw new RefusedToken(TokenRefusal.NOT_YET_VALID, "The token is issued in the future");
        }
        if (principal.getExpirationTime() - issuedAt > maxLifetimeSeconds) {
            throw new RefusedToken(
                    TokenRefusal.TOO_LONG_LIFETIME, "The token lives longer than Entra ID issues tokens");
        }
    }

    /** The {@code tid} and key ID the token claims, read before its signature is checked. */
    private static Claimed claimed(String token) throws ParseException {
        try {
            JwtContext context = UNVERIFIED.process(token);
            return new Claimed(
                    context.getJwtClaims().getClaimValueAsString("tid"),
                    context.getJoseObjects().getFirst().getKeyIdHeaderValue());
        } catch (InvalidJwtException | RuntimeException e) {
            throw new RefusedToken(TokenRefusal.MALFORMED, "The token is not a JWT");
        }
    }
}
