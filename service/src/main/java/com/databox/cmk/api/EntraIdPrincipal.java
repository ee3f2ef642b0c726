package com.databox.cmk.api;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;

/**
 * smallrye-jwt's principal of a verified token, but for how a claim's name is looked up: smallrye-jwt
 * asks {@code Claims.valueOf}, which throws (and fills in a stack trace) for every name the enum
 * does not hold, and the Entra ID claims read on every request ({@code tid}, {@code oid},
 * {@code appid}, {@code idtyp}) are all such names. Here they are looked up in a map; the answers
 * are smallrye-jwt's own.
 */
final class EntraIdPrincipal extends DefaultJWTCallerPrincipal {
    private static final Map<String, Claims> STANDARD =
            Arrays.stream(Claims.values()).collect(Collectors.toUnmodifiableMap(Claims::name, Function.identity()));

    EntraIdPrincipal(String tokenType, JwtClaims claims) {
        super(tokenType, claims);
    }

    @Override
    protected Claims getClaimType(String claimName) {
        return STANDARD.getOrDefault(claimName, Claims.UNKNOWN);
    }
}
