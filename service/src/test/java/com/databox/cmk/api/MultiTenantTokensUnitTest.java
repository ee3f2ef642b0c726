package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.app.TestCmkConfigs;
import com.sun.net.httpserver.HttpServer;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens of many tenants, signed and checked for real (jose4j, smallrye-jwt) against signing keys
 * served over HTTP per tenant: forged tokens naming ever new tenants (anyone can write a {@code tid})
 * must not push out the validator, and the fetched keys, of a tenant whose callers are served.
 */
class MultiTenantTokensUnitTest {
    private final RsaJsonWebKey signing = key("good");
    private final RsaJsonWebKey forging = key("forged");
    private final Map<String, AtomicInteger> keyFetches = new ConcurrentHashMap<>();
    private final HttpServer keys = serveKeys();
    private final MultiTenantTokens tokens = new MultiTenantTokens(TestCmkConfigs.with(Map.of(
            "cmk.callers.allowed-tenants", "*",
            "cmk.callers.issuer-template", "https://issuer.test/{tenantid}/v2.0",
            "cmk.callers.jwks-template", "http://127.0.0.1:" + keys.getAddress().getPort() + "/{tenantid}/keys")));

    @AfterEach
    void stop() {
        keys.stop(0);
    }

    private static RsaJsonWebKey key(String id) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(id);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpServer serveKeys() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String jwks = new JsonWebKeySet(signing).toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            server.createContext("/", exchange -> {
                String tenant = exchange.getRequestURI().getPath().split("/")[1];
                keyFetches.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
                byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(String tenant, RsaJsonWebKey key) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://issuer.test/" + tenant + "/v2.0");
        claims.setClaim("tid", tenant);
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("oid", UUID.randomUUID().toString());
        claims.setJwtId(UUID.randomUUID().toString());
        long now = Instant.now().getEpochSecond();
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(now));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now + 3600));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void forgedTokensOfManyTenantsKeepNoValidatorAndPushOutNoServedTenant() throws ParseException {
        JWTAuthContextInfo base = new JWTAuthContextInfo();
        String served = UUID.randomUUID().toString();
        assertThat(tokens.parse(token(served, signing), base).getClaim("tid").toString())
                .isEqualTo(served);

        for (int i = 0; i <= MultiTenantTokens.MAX_CACHED_TENANTS; i++) {
            String forged = token(UUID.randomUUID().toString(), forging);
            assertThatThrownBy(() -> tokens.parse(forged, base)).isInstanceOf(ParseException.class);
        }

        assertThat(tokens.trustedTenants()).isEqualTo(1);
        assertThat(tokens.parse(token(served, signing), base).getClaim("tid").toString())
                .isEqualTo(served);
        assertThat(keyFetches.get(served))
                .as("the served tenant's keys, fetched once")
                .hasValue(1);
    }
}
