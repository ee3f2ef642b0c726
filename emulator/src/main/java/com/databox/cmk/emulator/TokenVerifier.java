package com.databox.cmk.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;

/** Checks a bearer token as a vault does: signature, audience, lifetime, then the tenant. */
final class TokenVerifier {

    static final String VAULT_AUDIENCE = "https://vault.azure.net";
    private static final long CLOCK_SKEW_SECONDS = 300;

    private final PublicKey publicKey;
    private final Clock clock;

    TokenVerifier(PublicKey publicKey, Clock clock) {
        this.publicKey = publicKey;
        this.clock = clock;
    }

    /** The caller, or a 401 naming the vault's tenant in its challenge. */
    Caller verify(String authorization, String vaultTenant) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw KeyVaultErrors.missingToken(vaultTenant);
        }
        String token = authorization.substring(7).trim();
        String[] parts = token.split("\\.");
        if (parts.length != 3 || !signatureValid(parts)) {
            throw KeyVaultErrors.invalidToken(vaultTenant, "AKV10000: Request is missing a Bearer or PoP token.");
        }
        JsonNode claims = claims(parts[1], vaultTenant);
        String audience = claims.path("aud").asText("");
        if (!audience.equals(VAULT_AUDIENCE) && !audience.equals(VAULT_AUDIENCE + "/")) {
            throw KeyVaultErrors.invalidToken(vaultTenant, "AKV10022: Invalid audience. Expected " + VAULT_AUDIENCE
                    + ", found: " + audience + ".");
        }
        long now = clock.instant().getEpochSecond();
        if (claims.path("exp").asLong(0) + CLOCK_SKEW_SECONDS < now || claims.path("nbf").asLong(0) - CLOCK_SKEW_SECONDS > now) {
            throw KeyVaultErrors.invalidToken(vaultTenant, "AKV10021: Token is expired or not yet valid.");
        }
        String tenant = claims.path("tid").asText("");
        if (!tenant.equalsIgnoreCase(vaultTenant)) {
            throw KeyVaultErrors.wrongTenant(vaultTenant, tenant);
        }
        return new Caller(claims.path("oid").asText(), claims.path("appid").asText(), tenant);
    }

    /** The claims of a token the identity endpoint signed, or empty (bad shape or signature). */
    java.util.Optional<JsonNode> signedClaims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3 || !signatureValid(parts)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Json.MAPPER.readTree(Json.fromBase64Url(parts[1])));
        } catch (IOException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    boolean withinLifetime(JsonNode claims) {
        long now = clock.instant().getEpochSecond();
        return claims.path("exp").asLong(0) + CLOCK_SKEW_SECONDS >= now && claims.path("nbf").asLong(0) - CLOCK_SKEW_SECONDS <= now;
    }

    private boolean signatureValid(String[] parts) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(publicKey);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Json.fromBase64Url(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode claims(String payload, String vaultTenant) {
        try {
            return Json.MAPPER.readTree(Json.fromBase64Url(payload));
        } catch (IOException | IllegalArgumentException e) {
            throw KeyVaultErrors.invalidToken(vaultTenant, "AKV10000: Request is missing a Bearer or PoP token.");
        }
    }
}
