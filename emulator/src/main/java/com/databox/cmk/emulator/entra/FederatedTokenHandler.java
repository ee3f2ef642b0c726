package com.databox.cmk.emulator.entra;

import com.databox.cmk.emulator.http.HttpExchanges;
import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Entra ID's token endpoint for workload identity federation, {@code POST /{tenant}/oauth2/v2.0/token}
 * (client credentials with {@code client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer}),
 * as MSAL (azure-identity's client-assertion credential) calls it on the authority host. The
 * assertion is the external token (AWS's, in production): it must be a JWT for the audience
 * {@code api://AzureADTokenExchange}, unexpired, with an issuer and a subject. Its signature is not
 * checked (there are no external issuer keys locally); the identity named by {@code client_id} must be
 * one the emulated app may use, as with the managed-identity endpoint. A multi-tenant application
 * ({@code client_id} its application ID, in any tenant where it has a service principal) is served too:
 * there the assertion must be a managed identity's token the emulator signed, whose issuer and subject one
 * of the application's federated identity credentials trusts (cross-tenant customer-managed keys). The
 * tenant's OpenID configuration and keys ({@link AuthorityMetadata}) are served too, for the clients that
 * read them before the token endpoint.
 */
public final class FederatedTokenHandler implements HttpHandler {
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final String EXCHANGE_AUDIENCE = TokenIssuer.EXCHANGE_AUDIENCE;

    /**
     * Mints a token for {@code resource} to the identity or application with this client ID in this tenant,
     * if it may have one: empty when there is no such client in the tenant; {@link Refused} when there is
     * but the assertion (already checked for shape, audience and lifetime) does not satisfy it.
     */
    public interface Identities {
        Optional<TokenIssuer.Token> mint(String tenantId, String clientId, String resource, String assertion);
    }

    /** Entra ID's refusal of an assertion, as {@code invalid_client} with an AADSTS description. */
    public static final class Refused extends RuntimeException {
        public Refused(String description) {
            super(description, null, false, false);
        }
    }

    private final Identities identities;
    private final AuthorityMetadata metadata;
    private final Clock clock;

    public FederatedTokenHandler(Identities identities, AuthorityMetadata metadata, Clock clock) {
        this.identities = identities;
        this.metadata = metadata;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        List<String> path = HttpExchanges.segments(exchange);
        String body = new String(HttpExchanges.body(exchange), StandardCharsets.UTF_8);
        if ("GET".equals(exchange.getRequestMethod()) && path.size() > 1) {
            answerMetadata(exchange, path.get(0), String.join("/", path.subList(1, path.size())));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())
                || path.size() != 4
                || !String.join("/", path.subList(1, 4)).equals("oauth2/v2.0/token")) {
            HttpExchanges.sendJson(exchange, 404, Json.object().put("error", "not_found"));
            return;
        }
        String tenant = path.get(0);
        Map<String, String> form = form(body);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            error(exchange, "unsupported_grant_type", "AADSTS70003: only client_credentials is supported here.");
            return;
        }
        if (!ASSERTION_TYPE.equals(form.get("client_assertion_type")) || blank(form.get("client_assertion"))) {
            error(
                    exchange,
                    "invalid_client",
                    "AADSTS7000216: client_assertion and client_assertion_type are required.");
            return;
        }
        Optional<String> problem = assertionProblem(form.get("client_assertion"));
        if (problem.isPresent()) {
            error(exchange, "invalid_client", problem.get());
            return;
        }
        // MSAL adds openid, profile and offline_access to the resource's {resource}/.default scope.
        String resource = java.util.Arrays.stream(form.getOrDefault("scope", "").split(" "))
                .filter(scope -> scope.endsWith("/.default"))
                .findFirst()
                .orElse("")
                .replaceFirst("/\\.default$", "");
        if (blank(resource) || blank(form.get("client_id"))) {
            error(exchange, "invalid_request", "AADSTS90014: client_id and scope are required.");
            return;
        }
        Optional<TokenIssuer.Token> token;
        try {
            token = identities.mint(tenant, form.get("client_id"), resource, form.get("client_assertion"));
        } catch (Refused refused) {
            error(exchange, "invalid_client", refused.getMessage());
            return;
        }
        if (token.isEmpty()) {
            HttpExchanges.sendJson(
                    exchange,
                    400,
                    Json.object()
                            .put("error", "unauthorized_client")
                            .put(
                                    "error_description",
                                    "AADSTS700016: Application with identifier '" + form.get("client_id")
                                            + "' was not found in the directory '" + tenant + "'."));
            return;
        }
        long expiresIn =
                token.get().expiresOn().getEpochSecond() - clock.instant().getEpochSecond();
        HttpExchanges.sendJson(
                exchange,
                200,
                Json.object()
                        .put("token_type", "Bearer")
                        .put("expires_in", expiresIn)
                        .put("ext_expires_in", expiresIn)
                        .put("access_token", token.get().accessToken()));
    }

    private void answerMetadata(HttpExchange exchange, String tenant, String rest) throws IOException {
        String authorityHost = "https://127.0.0.1:" + exchange.getLocalAddress().getPort();
        switch (rest) {
            case "v2.0/.well-known/openid-configuration" ->
                HttpExchanges.sendJson(exchange, 200, metadata.openIdConfiguration(authorityHost, tenant));
            case "discovery/v2.0/keys" -> HttpExchanges.sendJson(exchange, 200, metadata.keys());
            // Advertised because MSAL requires an authorization endpoint in the document; no user signs in here.
            case "oauth2/v2.0/authorize" ->
                error(exchange, "unsupported_response_type", "Only client credentials are served by this authority.");
            default -> HttpExchanges.sendJson(exchange, 404, Json.object().put("error", "not_found"));
        }
    }

    private Optional<String> assertionProblem(String assertion) {
        String[] parts = assertion.split("\\.");
        JsonNode claims;
        try {
            claims = parts.length == 3 ? Json.MAPPER.readTree(Json.fromBase64Url(parts[1])) : null;
        } catch (IOException | IllegalArgumentException e) {
            claims = null;
        }
        if (claims == null || !claims.isObject()) {
            return Optional.of("AADSTS50027: JWT token is invalid or malformed.");
        }
        JsonNode aud = claims.path("aud");
        boolean audience =
                aud.isArray() ? containsText(aud, EXCHANGE_AUDIENCE) : EXCHANGE_AUDIENCE.equals(aud.asText());
        if (!audience) {
            return Optional.of(
                    "AADSTS700212: No matching federated identity record found for presented assertion audience.");
        }
        if (claims.path("exp").asLong(0) < clock.instant().getEpochSecond()) {
            return Optional.of("AADSTS700024: Client assertion is not within its valid time range.");
        }
        if (blank(claims.path("iss").asText(null)) || blank(claims.path("sub").asText(null))) {
            return Optional.of(
                    "AADSTS700211: No matching federated identity record found for presented assertion issuer.");
        }
        return Optional.empty();
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.putIfAbsent(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void error(HttpExchange exchange, String error, String description) throws IOException {
        ObjectNode body = Json.object().put("error", error).put("error_description", description);
        HttpExchanges.sendJson(exchange, 400, body);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
