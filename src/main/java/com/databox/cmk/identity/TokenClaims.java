package com.databox.cmk.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;

/**
 * The identity claims of an access token the platform's identity endpoint gave us. They are
 * read, not verified: the token came straight from that trusted endpoint, and the vault
 * verifies it whenever it is used.
 */
record TokenClaims(String objectId, String tenantId, String appId) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TokenClaims of(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("The identity endpoint answered with a token that is not a JWT.");
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return new TokenClaims(claims.path("oid").asText(null), claims.path("tid").asText(null),
                    claims.path("appid").asText(null));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The identity endpoint answered with a token that cannot be read.", e);
        }
    }
}
