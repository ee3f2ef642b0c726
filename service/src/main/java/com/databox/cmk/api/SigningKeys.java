package com.databox.cmk.api;

import com.databox.cmk.order.TenantId;
import com.databox.cmk.sdkhttp.DocumentGets;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * Fetches a tenant's token signing keys (its JWKS document) itself, instead of leaving it to
 * smallrye-jwt, whose failure to fetch reads as any bad token: Entra ID not answering, or answering
 * {@code 429}/{@code 5xx}, is an outage ({@link SigningKeysUnavailable}, a {@code 503} with
 * {@code Retry-After} to the caller, who may retry), while any other answer but {@code 200} says the
 * tenant has no keys here (a token of it is refused, {@code 401}).
 */
final class SigningKeys {
    /** Opening a connection, and the answer's headers, each take at most this; a whole fetch at most twice it. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Entra ID's documents are a few KiB; a larger answer is not a key set. */
    static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

    /** A tenant's keys as fetched: the document for smallrye-jwt, the key IDs it holds, and when it was fetched. */
    record KeySet(String document, Set<String> keyIds, Instant fetchedAt) {
        boolean has(String keyId) {
            return keyId != null && keyIds.contains(keyId);
        }
    }

    private final String template;
    private final DocumentGets gets;
    private final Clock clock;

    SigningKeys(String template, DocumentGets gets, Clock clock) {
        this.template = template;
        this.gets = gets;
        this.clock = clock;
    }

    /**
     * The tenant's keys, fetched as the Azure SDK clients call out: through the configured proxy, with its
     * exceptions, for {@code https:} only ({@link DocumentGets}).
     *
     * @throws SigningKeysUnavailable when Entra ID did not answer them (an outage)
     * @throws ParseException when it answered that the tenant has none
     */
    KeySet fetch(TenantId tenant) throws ParseException {
        URI location;
        try {
            location = URI.create(template.replace("{tenantid}", tenant.value()));
            location.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new RefusedToken(TokenRefusal.TENANT_UNKNOWN, "The token's tenant has no signing keys here");
        }
        DocumentGets.Answer answer;
        try {
            answer = gets.get(location, MAX_DOCUMENT_BYTES);
        } catch (IOException e) {
            throw new SigningKeysUnavailable("no answer (" + e.getClass().getSimpleName() + ")", DEFAULT_RETRY_AFTER);
        }
        int status = answer.status();
        if (status == 429 || status == 408 || status >= 500) {
            throw new SigningKeysUnavailable(
                    "status " + status, retryAfter(answer.retryAfter().orElse(null)));
        }
        if (status != 200) {
            throw new RefusedToken(
                    TokenRefusal.TENANT_UNKNOWN, "The token's tenant has no signing keys (status " + status + ")");
        }
        if (answer.body().length > MAX_DOCUMENT_BYTES) {
            throw new SigningKeysUnavailable("a document larger than a key set", DEFAULT_RETRY_AFTER);
        }
        String json = new String(answer.body(), StandardCharsets.UTF_8);
        return new KeySet(json, keyIds(json), clock.instant());
    }

    private static Set<String> keyIds(String json) throws SigningKeysUnavailable {
        try {
            return new JsonWebKeySet(json)
                    .getJsonWebKeys().stream()
                            .map(JsonWebKey::getKeyId)
                            .filter(id -> id != null)
                            .collect(Collectors.toUnmodifiableSet());
        } catch (JoseException | RuntimeException e) {
            throw new SigningKeysUnavailable("an answer that is not a key set", DEFAULT_RETRY_AFTER);
        }
    }

    private static Duration retryAfter(String header) {
        if (header == null || !header.trim().matches("\\d{1,6}")) {
            return DEFAULT_RETRY_AFTER;
        }
        Duration asked = Duration.ofSeconds(Long.parseLong(header.trim()));
        if (asked.isZero()) {
            return DEFAULT_RETRY_AFTER;
        }
        return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
    }
}
