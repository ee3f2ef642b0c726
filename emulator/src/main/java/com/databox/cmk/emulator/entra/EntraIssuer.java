package com.databox.cmk.emulator.entra;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/**
 * The local stand-in for Microsoft Entra ID as the issuer of the service's callers' tokens:
 * an OpenID discovery document and JWKS per tenant, and v2.0 access tokens with app roles,
 * so that the app validates local tokens exactly as it validates real ones.
 */
public final class EntraIssuer {
    /** The application ID URI the service's tokens are issued for, locally. */
    public static final String DEFAULT_AUDIENCE = "api://databox-cmk";

    private final KeyPair signing;
    private final String keyId = UUID.randomUUID().toString();
    private final Clock clock;
    private volatile String baseUrl;

    public EntraIssuer(Clock clock) {
        this.clock = clock;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.signing = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Set once the server knows its port. */
    public void baseUrl(String adminUrl) {
        this.baseUrl = adminUrl + "/entra";
    }

    public String issuer(String tenantId) {
        return baseUrl + "/" + tenantId + "/v2.0";
    }

    public String jwksUri(String tenantId) {
        return baseUrl + "/" + tenantId + "/discovery/v2.0/keys";
    }

    /**
     * The discovery document a token validator reads: issuer and keys. It names no authorization or token
     * endpoint: this issuer mints callers' tokens through the admin API only, and an advertised endpoint
     * answered 404 (bug bash bb85 F3).
     */
    ObjectNode discovery(String tenantId) {
        ObjectNode document = Json.object().put("issuer", issuer(tenantId)).put("jwks_uri", jwksUri(tenantId));
        document.putArray("id_token_signing_alg_values_supported").add("RS256");
        document.putArray("response_types_supported").add("code");
        document.putArray("subject_types_supported").add("pairwise");
        return document;
    }

    ObjectNode jwks() {
        return jwks((RSAPublicKey) signing.getPublic(), keyId);
    }

    /** A JSON Web Key Set holding one RSA signing key. */
    static ObjectNode jwks(RSAPublicKey key, String keyId) {
        ObjectNode jwks = Json.object();
        ArrayNode keys = jwks.putArray("keys");
        keys.addObject()
                .put("kty", "RSA")
                .put("use", "sig")
                .put("alg", "RS256")
                .put("kid", keyId)
                .put("n", Json.base64Url(unsigned(key.getModulus())))
                .put("e", Json.base64Url(unsigned(key.getPublicExponent())));
        return jwks;
    }

    /** A caller's access token, as Entra ID issues it for a client app holding the given app roles. */
    public TokenIssuer.Token callerToken(
            String tenantId,
            String audience,
            String objectId,
            String appId,
            Collection<String> roles,
            Duration lifetime) {
        return callerToken(tenantId, audience, objectId, appId, roles, lifetime, false, Duration.ZERO);
    }

    /**
     * As above; {@code appOnly}: an application's own token (client credentials: {@code idtyp=app},
     * {@code appid}, the service principal's {@code oid}); {@code issuedAtShift}: moves {@code iat} and
     * {@code nbf} (and so {@code exp}) from now, for tests of tokens issued in the future.
     */
    public TokenIssuer.Token callerToken(
            String tenantId,
            String audience,
            String objectId,
            String appId,
            Collection<String> roles,
            Duration lifetime,
            boolean appOnly,
            Duration issuedAtShift) {
        Instant now = clock.instant().plus(issuedAtShift);
        Instant expires = now.plus(lifetime);
        ObjectNode header = Json.object().put("typ", "JWT").put("alg", "RS256").put("kid", keyId);
        ObjectNode claims = Json.object()
                .put("aud", audience)
                .put("iss", issuer(tenantId))
                .put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("exp", expires.getEpochSecond())
                .put("oid", objectId)
                .put("sub", objectId)
                .put("tid", tenantId)
                .put("azp", appId)
                .put("ver", "2.0")
                .put("uti", UUID.randomUUID().toString());
        if (appOnly) {
            claims.put("idtyp", "app").put("appid", appId);
        }
        ArrayNode roleClaims = claims.putArray("roles");
        roles.forEach(roleClaims::add);
        String signingInput = Json.base64Url(Json.bytes(header)) + "." + Json.base64Url(Json.bytes(claims));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signing.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return new TokenIssuer.Token(signingInput + "." + Json.base64Url(signature.sign()), expires);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
