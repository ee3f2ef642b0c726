package com.databox.cmk.api;

import com.databox.cmk.app.CmkConfig;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** In "every consented tenant" mode, at most this many tenants' validators are kept at once. */
    private static final int MAX_CACHED_TENANTS = 1000;

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
    private final Map<TenantId, DefaultJWTTokenParser> validators = new ConcurrentHashMap<>();
    private final Map<TenantId, JWTAuthContextInfo> contexts = new ConcurrentHashMap<>();
    private final VerifiedTokens verified;

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

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo base) throws ParseException {
        return verified.principal(token, t -> verify(t, base));
    }

    private JWTCallerPrincipal verify(String token, JWTAuthContextInfo base) throws ParseException {
        TenantId tenant = admission
                .admit(unverifiedTenant(token))
                .orElseThrow(() -> new ParseException("The token's tenant is not served"));
        if (validators.size() > MAX_CACHED_TENANTS) {
            validators.clear();
            contexts.clear();
        }
        JWTAuthContextInfo context = contexts.computeIfAbsent(tenant, t -> forTenant(base, t));
        // As smallrye-jwt's own factory does, but for the principal's class.
        JwtContext parsed = validators
                .computeIfAbsent(tenant, t -> new DefaultJWTTokenParser())
                .parse(token, context);
        JWTCallerPrincipal principal =
                new EntraIdPrincipal(parsed.getJoseObjects().getFirst().getHeader("typ"), parsed.getJwtClaims());
        checkClaims(principal, tenant);
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
