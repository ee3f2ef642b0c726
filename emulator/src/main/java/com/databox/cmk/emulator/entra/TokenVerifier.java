package com.databox.cmk.emulator.entra;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Optional;

/**
 * Checks the signature and lifetime of the access tokens {@link TokenIssuer} signed; the resources
 * (a vault, ARM) check audience and tenant themselves and answer in their own error format.
 */
public final class TokenVerifier {

    private static final long CLOCK_SKEW_SECONDS = 300;

    private final PublicKey publicKey;
    private final Clock clock;

    public TokenVerifier(PublicKey publicKey, Clock clock) {
        this.publicKey = publicKey;
        this.clock = clock;
    }

    /** The claims of a token the identity endpoint signed, or empty (bad shape or signature). */
    public Optional<JsonNode> signedClaims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3 || !signatureValid(parts)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(Json.fromBase64Url(parts[1])));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean withinLifetime(JsonNode claims) {
        long now = clock.instant().getEpochSecond();
        return claims.path("exp").asLong(0) + CLOCK_SKEW_SECONDS >= now
                && claims.path("nbf").asLong(0) - CLOCK_SKEW_SECONDS <= now;
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
}
