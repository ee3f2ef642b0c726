package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.entra.TokenVerifier;
import com.fasterxml.jackson.databind.JsonNode;

/** Checks a bearer token as a vault does: signature, audience, lifetime, then the tenant. */
final class VaultAuthentication {

    static final String VAULT_AUDIENCE = "https://vault.azure.net";

    private final TokenVerifier verifier;

    VaultAuthentication(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** The caller, or a 401 naming the vault's tenant in its challenge. */
    Caller verify(String authorization, String vaultTenant) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw DataPlaneErrors.missingToken(vaultTenant);
        }
        JsonNode claims = verifier.signedClaims(authorization.substring(7).trim())
                .orElseThrow(() -> DataPlaneErrors.invalidToken(
                        vaultTenant, "AKV10000: Request is missing a Bearer or PoP token."));
        String audience = claims.path("aud").asText("");
        if (!audience.equals(VAULT_AUDIENCE) && !audience.equals(VAULT_AUDIENCE + "/")) {
            throw DataPlaneErrors.invalidToken(
                    vaultTenant,
                    "AKV10022: Invalid audience. Expected " + VAULT_AUDIENCE + ", found: " + audience + ".");
        }
        if (!verifier.withinLifetime(claims)) {
            throw DataPlaneErrors.invalidToken(vaultTenant, "AKV10021: Token is expired or not yet valid.");
        }
        String tenant = claims.path("tid").asText("");
        if (!tenant.equalsIgnoreCase(vaultTenant)) {
            throw DataPlaneErrors.wrongTenant(vaultTenant, tenant);
        }
        return new Caller(claims.path("oid").asText(), claims.path("appid").asText(), tenant);
    }
}
