package com.databox.cmk.emulator.arm;

import com.databox.cmk.emulator.entra.TokenVerifier;
import com.fasterxml.jackson.databind.JsonNode;

/** Checks a bearer token as Azure Resource Manager does: signature, audience, lifetime, tenant. */
public final class ArmAuthentication {
    static final String AUDIENCE = "https://management.azure.com";

    private final TokenVerifier verifier;
    private final String tenantId;

    public ArmAuthentication(TokenVerifier verifier, String tenantId) {
        this.verifier = verifier;
        this.tenantId = tenantId;
    }

    /** The caller's object ID; throws a 401 {@link ArmHandler.ArmError} with ARM's challenge unless the token is good. */
    String verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }
        JsonNode claims = verifier.signedClaims(authorization.substring(7).trim())
                .orElseThrow(() -> unauthorized("InvalidAuthenticationToken", "The access token is invalid."));
        String audience = claims.path("aud").asText("");
        if (!audience.equals(AUDIENCE) && !audience.equals(AUDIENCE + "/")) {
            throw unauthorized(
                    "InvalidAuthenticationToken", "The access token has an invalid audience '" + audience + "'.");
        }
        if (!verifier.withinLifetime(claims)) {
            throw unauthorized(
                    "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
        }
        if (!tenantId.equalsIgnoreCase(claims.path("tid").asText(""))) {
            throw unauthorized("InvalidAuthenticationTokenTenant", "The access token is from the wrong issuer.");
        }
        return claims.path("oid").asText("");
    }

    private ArmHandler.ArmError unauthorized(String code, String message) {
        return new ArmHandler.ArmError(401, code, message)
                .header(
                        "WWW-Authenticate",
                        "Bearer authorization_uri=\"https://login.microsoftonline.com/" + tenantId
                                + "\", error=\"invalid_token\", error_description=\"" + message.replace("\"", "'")
                                + "\"");
    }
}
