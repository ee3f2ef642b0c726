package com.databox.cmk.api;

import com.databox.cmk.app.CmkConfig;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.order.TenantId;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Callers' tokens from many Entra ID tenants (issue 12): the token's {@code tid} chooses the
 * tenant; a tenant that is not allowed is refused before anything is fetched; otherwise the token
 * is validated by smallrye-jwt against that tenant's own issuer and signing keys (one validator
 * per tenant, each with its own key cache), with the audience, algorithm and expiry the
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

    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder()
            .setSkipAllValidators()
            .setDisableRequireSignature()
            .setSkipSignatureVerification()
            .build();

    private final TenantAdmission admission;
    private final String issuerTemplate;
    private final String jwksTemplate;
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

    /** A tenant's validation settings and its parser, which keeps the tenant's signing keys once fetched. */
    private record TenantValidator(JWTAuthContextInfo context, DefaultJWTTokenParser parser) {}

    @Inject
    public MultiTenantTokens(CmkConfig config) {
        CmkConfig.Callers callers = config.callers();
        this.admission = TenantAdmission.of(callers.allowedTenants());
        this.issuerTemplate = callers.issuerTemplate();
        this.jwksTemplate = callers.jwksTemplate();
        this.maxLifetimeSeconds = callers.maxLifetime().toSeconds();
        this.skewSeconds = callers.clockSkew().toSeconds();
        this.clock = Clock.systemUTC();
        this.verified = new VerifiedTokens(MAX_VERIFIED_TOKENS, VERIFIED_TOKEN_CAP, clock);
    }

    /** The tenants whose validators are kept (a token of theirs was verified), for tests. */
    int trustedTenants() {
        return validators.size();
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo base) throws ParseException {
        return verified.principal(token, t -> verify(t, base));
    }

    private JWTCallerPrincipal verify(String token, JWTAuthContextInfo base) throws ParseException {
        TenantId tenant = admission
                .admit(unverifiedTenant(token))
                .orElseThrow(() -> new ParseException("The token's tenant is not served"));
        Optional<TenantValidator> known = validators.find(tenant);
        TenantValidator validator =
                known.orElseGet(() -> new TenantValidator(forTenant(base, tenant), new DefaultJWTTokenParser()));
        // As smallrye-jwt's own factory does, but for the principal's class.
        JwtContext parsed = validator.parser().parse(token, validator.context());
        JWTCallerPrincipal principal =
                new EntraIdPrincipal(parsed.getJoseObjects().getFirst().getHeader("typ"), parsed.getJwtClaims());
        checkClaims(principal, tenant);
        if (known.isEmpty()) {
            validators.get(tenant, t -> validator);
        }
        return principal;
    }

    private JWTAuthContextInfo forTenant(JWTAuthContextInfo base, TenantId tenant) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(base);
        context.setIssuedBy(issuerTemplate.replace("{tenantid}", tenant.value()));
        context.setPublicKeyLocation(jwksTemplate.replace("{tenantid}", tenant.value()));
        context.setMaxTimeToLiveSecs(maxLifetimeSeconds);
        context.setClockSkew((int) skewSeconds);
        return context;
    }

    private void checkClaims(JWTCallerPrincipal principal, TenantId tenant) throws ParseException {
        if (!tenant.value().equalsIgnoreCase(principal.getClaim("tid"))) {
            throw new ParseException("The token's tid is not its issuer's tenant");
        }
        long now = clock.instant().getEpochSecond();
        long issuedAt = principal.getIssuedAtTime();
        if (issuedAt <= 0 || issuedAt > now + skewSeconds) {
            throw new ParseException("The token is issued in the future");
        }
        if (principal.getExpirationTime() - issuedAt > maxLifetimeSeconds) {
            throw new ParseException("The token lives longer than Entra ID issues tokens");
        }
    }

    /** The {@code tid} the token claims, read before its signature is checked: only to choose the validator. */
    private static String unverifiedTenant(String token) throws ParseException {
        try {
            JwtClaims claims = UNVERIFIED.processToClaims(token);
            return claims.getClaimValueAsString("tid");
        } catch (InvalidJwtException e) {
            throw new ParseException("The token is not a JWT");
        }
    }
}
