package com.databox.cmk.emulator.entra;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.interfaces.RSAPublicKey;

/**
 * What Entra ID's authority publishes per tenant before a client asks it for a token: the OpenID
 * configuration ({@code GET /{tenant}/v2.0/.well-known/openid-configuration}), which MSAL for JavaScript and
 * Python read first to find the token endpoint, and the keys the authority signs with
 * ({@code GET /{tenant}/discovery/v2.0/keys}).
 */
public final class AuthorityMetadata {
    private final RSAPublicKey signingKey;
    private final String keyId;

    public AuthorityMetadata(RSAPublicKey signingKey, String keyId) {
        this.signingKey = signingKey;
        this.keyId = keyId;
    }

    /**
     * The document as login.microsoftonline.com serves it for a tenant, its endpoints on {@code authorityHost}.
     * The issuer is Entra ID's own, which MSAL accepts as a known Microsoft host, and is the issuer of the
     * managed identities' exchange tokens. Only client assertions are served ({@code private_key_jwt}'s form):
     * a client secret is refused at the token endpoint.
     */
    ObjectNode openIdConfiguration(String authorityHost, String tenantId) {
        String tenantUrl = authorityHost + "/" + tenantId;
        ObjectNode document = Json.object()
                .put("issuer", TokenIssuer.issuer(tenantId))
                .put("token_endpoint", tenantUrl + "/oauth2/v2.0/token")
                .put("jwks_uri", tenantUrl + "/discovery/v2.0/keys")
                .put("authorization_endpoint", tenantUrl + "/oauth2/v2.0/authorize");
        document.putArray("token_endpoint_auth_methods_supported").add("private_key_jwt");
        document.putArray("grant_types_supported").add("client_credentials");
        document.putArray("response_types_supported").add("code");
        document.putArray("subject_types_supported").add("pairwise");
        document.putArray("id_token_signing_alg_values_supported").add("RS256");
        document.put("tenant_region_scope", "NA").put("cloud_instance_name", "microsoftonline.com");
        return document;
    }

    ObjectNode keys() {
        return EntraIssuer.jwks(signingKey, keyId);
    }
}
