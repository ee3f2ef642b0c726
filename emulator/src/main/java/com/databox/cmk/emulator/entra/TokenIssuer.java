package com.databox.cmk.emulator.entra;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Mints the RS256 access tokens the identity endpoint hands out, as Entra ID does for a managed identity: v1.0
 * tokens for the vault and ARM, and a v2.0 token for {@link #EXCHANGE_AUDIENCE}, whose application accepts only
 * v2.0 tokens, so that its issuer is the one a federated identity credential names
 * (learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity).
 */
public final class TokenIssuer {

    static final Duration LIFETIME = Duration.ofHours(1);

    /** The audience of the tokens exchanged for another application's (workload identity federation). */
    public static final String EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

    private final PrivateKey signingKey;
    private final String keyId;
    private final Clock clock;

    public TokenIssuer(PrivateKey signingKey, String keyId, Clock clock) {
        this.signingKey = signingKey;
        this.keyId = keyId;
        this.clock = clock;
    }

    /** The ID ({@code kid}) of the key the tokens are signed with, as the authority's key set names it. */
    public String keyId() {
        return keyId;
    }

    /** A signed access token and when it expires. */
    public record Token(String accessToken, Instant expiresOn) {}

    /**
     * A token for {@code resource} (the audience) naming the identity by object id ({@code oid}), application
     * id ({@code appid}) and tenant; {@code resourceId} (the ARM id of the identity, or of the resource a
     * system-assigned identity belongs to: {@code xms_mirid}) may be null.
     */
    public Token issue(String resource, String tenantId, String objectId, String appId, String resourceId) {
        Instant now = clock.instant();
        Instant expires = now.plus(LIFETIME);
        ObjectNode header = Json.object().put("typ", "JWT").put("alg", "RS256").put("kid", keyId);
        boolean v2 = EXCHANGE_AUDIENCE.equals(resource);
        ObjectNode claims = Json.object()
                .put("aud", resource)
                .put("iss", v2 ? issuer(tenantId) : v1Issuer(tenantId))
                .put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("exp", expires.getEpochSecond())
                .put("oid", objectId)
                .put("tid", tenantId)
                .put(v2 ? "azp" : "appid", appId)
                .put("sub", objectId)
                .put("uti", UUID.randomUUID().toString());
        // An application's token (no user): idtyp, and how the client proved itself, 2 = a certificate or an
        // assertion, as for a managed identity (access-token claims reference).
        claims.put("idtyp", "app").put("idp", v1Issuer(tenantId));
        if (v2) {
            claims.put("ver", "2.0").put("azpacr", "2");
        } else {
            claims.put("ver", "1.0").put("appidacr", "2");
        }
        if (resourceId != null) {
            claims.put("xms_mirid", resourceId);
        }
        String signingInput = Json.base64Url(Json.bytes(header)) + "." + Json.base64Url(Json.bytes(claims));
        return new Token(signingInput + "." + Json.base64Url(sign(signingInput)), expires);
    }

    /**
     * The issuer of a managed identity's token for {@link #EXCHANGE_AUDIENCE} in {@code tenantId}: what a
     * federated credential trusting that identity names ({@code https://login.microsoftonline.com/{tenant}/v2.0}).
     */
    public static String issuer(String tenantId) {
        return "https://login.microsoftonline.com/" + tenantId + "/v2.0";
    }

    /**
     * The issuer of the v1.0 tokens for the vault and ARM ({@code https://sts.windows.net/{tenant}/}), which
     * Entra ID refuses as a federated credential's issuer for a managed identity.
     */
    public static String v1Issuer(String tenantId) {
        return "https://sts.windows.net/" + tenantId + "/";
    }

    private byte[] sign(String signingInput) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signingKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
