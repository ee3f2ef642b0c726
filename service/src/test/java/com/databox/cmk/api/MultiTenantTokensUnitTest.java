package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.databox.cmk.app.TestCmkConfigs;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.sdkhttp.DocumentGets;
import com.databox.cmk.testing.inmemory.TestClock;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
    private final RsaJsonWebKey next = key("next");
    private final Map<String, AtomicInteger> keyFetches = new ConcurrentHashMap<>();
    /** What the key server answers a tenant instead of its keys: a status and a Retry-After (0: none). */
    private final Map<String, int[]> failures = new ConcurrentHashMap<>();

    private final AtomicReference<String> served = new AtomicReference<>(jwks(signing));
    /** How long the key server takes to answer, in ms. */
    private final AtomicInteger slowKeys = new AtomicInteger();

    private final HttpServer keys = serveKeys();
    private final Vertx vertx = Vertx.vertx();
    private final TestClock clock = new TestClock(Instant.now());
    private final MultiTenantTokens tokens =
            tokens("http://127.0.0.1:" + keys.getAddress().getPort());

    private MultiTenantTokens tokens(String keyServer) {
        return new MultiTenantTokens(
                TestCmkConfigs.with(Map.of(
                        "cmk.callers.allowed-tenants", "*",
                        "cmk.callers.issuer-template", "https://issuer.test/{tenantid}/v2.0",
                        "cmk.callers.jwks-template", keyServer + "/{tenantid}/keys")),
                DocumentGets.create(vertx, SigningKeys.TIMEOUT),
                clock);
    }

    private static String jwks(RsaJsonWebKey... keys) {
        return new JsonWebKeySet(keys).toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    @AfterEach
    void stop() throws Exception {
        keys.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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
            server.createContext("/", exchange -> {
                String tenant = exchange.getRequestURI().getPath().split("/")[1];
                keyFetches.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
                try {
                    Thread.sleep(slowKeys.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int[] failure = failures.get(tenant);
                byte[] body = (failure == null ? served.get() : "{\"error\":\"temporarily_unavailable\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (failure != null && failure[1] > 0) {
                    exchange.getResponseHeaders().set("Retry-After", Integer.toString(failure[1]));
                }
                exchange.sendResponseHeaders(failure == null ? 200 : failure[0], body.length);
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

    @Test
    void entraIdDownForATenantIsAnOutageNotARefusal() throws ParseException {
        JWTAuthContextInfo base = new JWTAuthContextInfo();
        String tenant = UUID.randomUUID().toString();
        failures.put(tenant, new int[] {503, 9});

        assertThatThrownBy(() -> tokens.parse(token(tenant, signing), base))
                .isInstanceOfSatisfying(SigningKeysUnavailable.class, unavailable -> {
                    ServiceException outage = SigningKeysUnavailable.in(new AuthenticationFailedException(unavailable))
                            .orElseThrow();
                    assertThat(outage.code()).isEqualTo(ErrorCode.IdentityProviderUnavailable);
                    assertThat(outage.retryAfter()).isEqualTo(Duration.ofSeconds(9));
                });
        // Entra ID is not asked again before the time the caller was told: the failure stands until then.
        failures.remove(tenant);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> tokens.parse(token(tenant, signing), base))
                    .isInstanceOf(SigningKeysUnavailable.class);
        }
        assertThat(keyFetches.get(tenant))
                .as("one fetch while its failure stands")
                .hasValue(1);

        clock.advance(Duration.ofSeconds(9));
        failures.put(tenant, new int[] {429, 0});
        assertThatThrownBy(() -> tokens.parse(token(tenant, signing), base))
                .isInstanceOfSatisfying(
                        SigningKeysUnavailable.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(MultiTenantTokens.OUTAGE_REMEMBERED));

        failures.remove(tenant);
        clock.advance(MultiTenantTokens.OUTAGE_REMEMBERED);
        assertThat(tokens.parse(token(tenant, signing), base).getClaim("tid").toString())
                .isEqualTo(tenant);
        assertThat(keyFetches.get(tenant)).hasValue(3);
    }

    @Test
    void aTenantEntraIdDoesNotKnowIsARefusal() {
        String tenant = UUID.randomUUID().toString();
        failures.put(tenant, new int[] {400, 0});

        assertThatThrownBy(() -> tokens.parse(token(tenant, signing), new JWTAuthContextInfo()))
                .isInstanceOf(ParseException.class)
                .isNotInstanceOf(SigningKeysUnavailable.class);
        assertThat(SigningKeysUnavailable.in(new AuthenticationFailedException()))
                .isEmpty();
    }

    @Test
    void noAnswerFromEntraIdIsAnOutage() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        MultiTenantTokens unreachable = tokens("http://127.0.0.1:" + closed);

        assertThatThrownBy(
                        () -> unreachable.parse(token(UUID.randomUUID().toString(), signing), new JWTAuthContextInfo()))
                .isInstanceOf(SigningKeysUnavailable.class);
    }

    @Test
    void keptKeysGoOnServingWhileEntraIdIsDown() throws ParseException {
        JWTAuthContextInfo base = new JWTAuthContextInfo();
        String tenant = UUID.randomUUID().toString();
        tokens.parse(token(tenant, signing), base);
        clock.advance(MultiTenantTokens.KEYS_REFRESH.plusMinutes(1));
        failures.put(tenant, new int[] {503, 0});

        assertThat(tokens.parse(token(tenant, signing), base).getClaim("tid").toString())
                .isEqualTo(tenant);
        assertThat(keyFetches.get(tenant))
                .as("fetched again when old, and failed")
                .hasValue(2);
    }

    @Test
    void aKeyEntraIdRolledOverToIsFetchedAtMostEveryFewMinutes() throws ParseException {
        JWTAuthContextInfo base = new JWTAuthContextInfo();
        String tenant = UUID.randomUUID().toString();
        tokens.parse(token(tenant, signing), base);
        served.set(jwks(signing, next));

        assertThatThrownBy(() -> tokens.parse(token(tenant, next), base))
                .as("the kept keys were fetched just now")
                .isInstanceOf(ParseException.class);
        clock.advance(MultiTenantTokens.UNKNOWN_KEY_REFETCH);
        assertThat(tokens.parse(token(tenant, next), base).getClaim("tid").toString())
                .isEqualTo(tenant);
        for (int i = 0; i < 20; i++) {
            String unknownKey = token(tenant, key("unknown-" + i));
            assertThatThrownBy(() -> tokens.parse(unknownKey, base)).isInstanceOf(ParseException.class);
        }
        assertThat(keyFetches.get(tenant))
                .as("once for the tenant, once for the rolled-over key, never for the unknown ones")
                .hasValue(2);
        assertThat(tokens.parse(token(tenant, signing), base).getClaim("tid").toString())
                .isEqualTo(tenant);
    }

    @Test
    void aBurstOfTokensOfATenantNotKeptFetchesItsKeysOnce() throws Exception {
        JWTAuthContextInfo base = new JWTAuthContextInfo();
        String tenant = UUID.randomUUID().toString();
        slowKeys.set(300);
        List<java.util.concurrent.Future<?>> parses = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                String forged = token(tenant, forging);
                parses.add(threads.submit(() -> catchThrowable(() -> tokens.parse(forged, base))));
            }
        }
        for (var parse : parses) {
            assertThat(parse.get()).isInstanceOf(ParseException.class);
        }
        assertThat(keyFetches.get(tenant)).as("one fetch for the burst").hasValueLessThanOrEqualTo(2);
    }

    /** Tokens naming keys Entra ID does not have, for a served tenant, while Entra ID is down: one fetch, not one each. */
    @Test
    void tokensNamingUnknownKeysWhileEntraIdIsDownAskItOnceAWhile() throws ParseException {
        JWTAuthContextInfo base = new JWTAuthContextInfo();
        String tenant = UUID.randomUUID().toString();
        tokens.parse(token(tenant, signing), base);
        clock.advance(MultiTenantTokens.UNKNOWN_KEY_REFETCH);
        failures.put(tenant, new int[] {503, 0});

        for (int i = 0; i < 20; i++) {
            String unknownKey = token(tenant, key("unknown-" + i));
            assertThatThrownBy(() -> tokens.parse(unknownKey, base)).isInstanceOf(ParseException.class);
        }
        assertThat(tokens.parse(token(tenant, signing), base).getClaim("tid").toString())
                .as("the kept keys go on serving")
                .isEqualTo(tenant);
        assertThat(keyFetches.get(tenant))
                .as("the first fetch, and one that failed")
                .hasValue(2);
    }
}
