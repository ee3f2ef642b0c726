package com.databox.cmk.emulator.identity;

import com.databox.cmk.emulator.entra.EntraIssuer;
import com.databox.cmk.emulator.entra.TokenIssuer;
import com.databox.cmk.emulator.http.HttpExchanges;
import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The App Service managed-identity endpoint ({@code GET /msi/token}, api-version 2019-08-01), as
 * MSAL4J's AppServiceManagedIdentitySource calls it and parses its answers.
 */
public final class IdentityEndpointHandler implements HttpHandler {

    static final String API_VERSION = "2019-08-01";
    private static final String NOT_FOUND =
            "No User Assigned or Delegated Managed Identity found for specified" + " ClientId/ResourceId/PrincipalId.";

    private final Directory directory;
    private final TokenIssuer issuer;
    private final String identityHeader;
    private final FunctionAppIdentities functionApp;

    public IdentityEndpointHandler(
            Directory directory, FunctionAppIdentities functionApp, TokenIssuer issuer, String identityHeader) {
        this.directory = directory;
        this.functionApp = functionApp;
        this.issuer = issuer;
        this.identityHeader = identityHeader;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            exchange.getRequestBody().readAllBytes();
            if (!"GET".equals(exchange.getRequestMethod())) {
                HttpExchanges.sendJson(exchange, 405, error(405, "Only GET is supported."));
                return;
            }
            String header = exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER");
            if (header == null) {
                HttpExchanges.sendJson(exchange, 401, error(401, "The X-IDENTITY-HEADER header is missing."));
                return;
            }
            if (!MessageDigest.isEqual(
                    header.getBytes(StandardCharsets.UTF_8), identityHeader.getBytes(StandardCharsets.UTF_8))) {
                HttpExchanges.sendJson(exchange, 403, error(403, "The X-IDENTITY-HEADER header is not valid."));
                return;
            }
            Map<String, String> query = HttpExchanges.query(exchange);
            if (!API_VERSION.equals(query.get("api-version"))) {
                HttpExchanges.sendJson(exchange, 400, error(400, "The api-version must be " + API_VERSION + "."));
                return;
            }
            String resource = query.get("resource");
            if (resource == null || resource.isBlank()) {
                HttpExchanges.sendJson(exchange, 400, error(400, "The resource parameter is required."));
                return;
            }
            answer(exchange, query, resource);
        } catch (RuntimeException e) {
            HttpExchanges.sendJson(
                    exchange, 500, error(500, "Internal error: " + e.getClass().getSimpleName()));
        }
    }

    private void answer(HttpExchange exchange, Map<String, String> query, String resource) throws IOException {
        String[][] selectors = {{"mi_res_id", null}, {"client_id", null}, {"principal_id", null}, {"object_id", null}};
        String parameter = null;
        String value = null;
        for (String[] selector : selectors) {
            String given = query.get(selector[0]);
            if (given != null && !given.isBlank()) {
                if (parameter != null) {
                    HttpExchanges.sendJson(
                            exchange,
                            400,
                            error(
                                    400,
                                    "Only one of mi_res_id, client_id, principal_id and" + " object_id may be given."));
                    return;
                }
                parameter = selector[0];
                value = given;
            }
        }
        Optional<IdentityInfo> identity = parameter == null
                ? Optional.of(directory.systemIdentity())
                : switch (parameter) {
                    case "mi_res_id" -> directory.byResourceId(value);
                    case "client_id" -> directory.byClientId(value);
                    default -> directory.byPrincipalId(value);
                };
        // On Azure an identity not assigned to the app is as unknown to its endpoint as a deleted one.
        identity = identity.filter(functionApp::mayMint);
        if (identity.isEmpty()) {
            ObjectNode body = error(400, NOT_FOUND + " " + parameter + "=" + value);
            body.put(parameter, value);
            HttpExchanges.sendJson(exchange, 400, body);
            return;
        }
        IdentityInfo id = identity.get();
        if (!KNOWN_RESOURCES.contains(withoutTrailingSlash(resource.toLowerCase(Locale.ROOT)))) {
            // Entra ID has no service principal for it, and App Service relays its refusal (bug bash bb85 F5):
            // a mistyped scope fails here, not later at the vault or ARM as a refused token.
            HttpExchanges.sendJson(
                    exchange,
                    400,
                    error(
                            400,
                            "AADSTS500011: The resource principal named " + resource
                                    + " was not found in the tenant named " + id.tenantId() + "."));
            return;
        }
        // A system-assigned identity's token names the resource it belongs to, the function app (xms_mirid).
        String identityOwner =
                id.principalId().equals(directory.systemIdentity().principalId())
                        ? FunctionAppIdentities.resourceId()
                        : id.resourceId();
        TokenIssuer.Token token = issuer.issue(resource, id.tenantId(), id.principalId(), id.clientId(), identityOwner);
        ObjectNode body = Json.object()
                .put("access_token", token.accessToken())
                .put("expires_on", Long.toString(token.expiresOn().getEpochSecond()))
                .put("resource", resource)
                .put("token_type", "Bearer")
                .put("client_id", identity.get().clientId());
        HttpExchanges.sendJson(exchange, 200, body);
    }

    /** The resources Entra ID knows here, as the clients name them, without a trailing slash. */
    private static final Set<String> KNOWN_RESOURCES = Set.of(
            "https://vault.azure.net",
            "https://management.azure.com",
            "https://management.core.windows.net",
            "https://storage.azure.com",
            TokenIssuer.EXCHANGE_AUDIENCE.toLowerCase(Locale.ROOT),
            EntraIssuer.DEFAULT_AUDIENCE);

    private static String withoutTrailingSlash(String resource) {
        return resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
    }

    private static ObjectNode error(int status, String message) {
        return Json.object()
                .put("statusCode", status)
                .put("message", message)
                .put("correlationId", UUID.randomUUID().toString());
    }
}
