package com.databox.cmk.api;

import com.databox.cmk.order.TenantId;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

    /** A tenant's keys as fetched: the document for smallrye-jwt, the key IDs it holds, and when it was fetched. */
    record KeySet(String document, Set<String> keyIds, Instant fetchedAt) {
        boolean has(String keyId) {
            return keyId != null && keyIds.contains(keyId);
        }
    }

    private final String template;
    private final Clock clock;
    private final HttpClient http;

    SigningKeys(String template, Clock clock) {
        this.template = template;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The tenant's keys.
     *
     * @throws SigningKeysUnavailable when Entra ID did not answer them (an outage)
     * @throws ParseException when it answered that the tenant has none
     */
    KeySet fetch(TenantId tenant) throws ParseException {
        URI location = URI.create(template.replace("{tenantid}", tenant.value()));
        HttpResponse<InputStream> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(location)
                            .timeout(TIMEOUT)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new SigningKeysUnavailable("no answer (" + e.getClass().getSimpleName() + ")", DEFAULT_RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningKeysUnavailable("interrupted", DEFAULT_RETRY_AFTER);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 429 || status == 408 || status >= 500) {
                throw new SigningKeysUnavailable("status " + status, retryAfter(response));
            }
            if (status != 200) {
                throw new ParseException("The token's tenant has no signing keys (status " + status + ")");
            }
            byte[] document = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (document.length > MAX_DOCUMENT_BYTES) {
                throw new SigningKeysUnavailable("a document larger than a key set", DEFAULT_RETRY_AFTER);
            }
            String json = new String(document, StandardCharsets.UTF_8);
            return new KeySet(json, keyIds(json), clock.instant());
        } catch (IOException e) {
            throw new SigningKeysUnavailable("the answer broke off", DEFAULT_RETRY_AFTER);
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

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .map(String::trim)
                .filter(value -> value.matches("\\d{1,6}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value)))
                .map(asked -> asked.isZero() ? DEFAULT_RETRY_AFTER : asked)
                .map(asked -> asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked)
                .orElse(DEFAULT_RETRY_AFTER);
    }
}
