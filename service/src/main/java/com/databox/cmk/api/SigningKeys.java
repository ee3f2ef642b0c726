package com.databox.cmk.api;

import com.databox.cmk.order.TenantId;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
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
    private final Clock clock;

    SigningKeys(String template, Clock clock) {
        this.template = template;
        this.clock = clock;
    }

    /**
     * The tenant's keys. Fetched with the JDK's {@link HttpURLConnection}, as smallrye-jwt did: a request
     * an hour per tenant, and no HTTP client of its own to start before the first request is answered.
     *
     * @throws SigningKeysUnavailable when Entra ID did not answer them (an outage)
     * @throws ParseException when it answered that the tenant has none
     */
    KeySet fetch(TenantId tenant) throws ParseException {
        URL location;
        try {
            location =
                    URI.create(template.replace("{tenantid}", tenant.value())).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ParseException("The token's tenant has no signing keys here");
        }
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) location.openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            connection.setRequestProperty("Accept", "application/json");
            int status = connection.getResponseCode();
            if (status == 429 || status == 408 || status >= 500) {
                throw new SigningKeysUnavailable(
                        "status " + status, retryAfter(connection.getHeaderField("Retry-After")));
            }
            if (status != 200) {
                throw new ParseException("The token's tenant has no signing keys (status " + status + ")");
            }
            byte[] document;
            try (InputStream body = connection.getInputStream()) {
                document = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
            }
            if (document.length > MAX_DOCUMENT_BYTES) {
                throw new SigningKeysUnavailable("a document larger than a key set", DEFAULT_RETRY_AFTER);
            }
            String json = new String(document, StandardCharsets.UTF_8);
            return new KeySet(json, keyIds(json), clock.instant());
        } catch (IOException e) {
            throw new SigningKeysUnavailable("no answer (" + e.getClass().getSimpleName() + ")", DEFAULT_RETRY_AFTER);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
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
