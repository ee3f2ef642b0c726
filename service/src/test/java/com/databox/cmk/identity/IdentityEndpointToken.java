package com.databox.cmk.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import reactor.core.publisher.Mono;

/**
 * Asks an emulator's identity endpoint directly, without MSAL: MSAL caches tokens for the whole
 * JVM, which would mix up a second emulator's tokens with the shared one's.
 */
final class IdentityEndpointToken {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private IdentityEndpointToken() {}

    /** The status and body the endpoint answers for {@code resource}, as {@code mi_res_id} (null: the app's own). */
    static HttpResponse<String> ask(String endpoint, String header, String resource, String miResId) {
        String query = "?api-version=2019-08-01&resource=" + encode(resource)
                + (miResId == null ? "" : "&mi_res_id=" + encode(miResId));
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(endpoint + query))
                            .header("X-IDENTITY-HEADER", header)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The app's own identity, for the scope's resource. */
    static TokenCredential appCredential(String endpoint, String header) {
        return (TokenRequestContext request) -> Mono.fromCallable(() -> {
            String resource = request.getScopes().getFirst().replaceAll("\\.default$", "");
            JsonNode body = new ObjectMapper()
                    .readTree(ask(endpoint, header, resource, null).body());
            return new AccessToken(
                    body.path("access_token").asText(),
                    Instant.ofEpochSecond(body.path("expires_on").asLong()).atOffset(ZoneOffset.UTC));
        });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
