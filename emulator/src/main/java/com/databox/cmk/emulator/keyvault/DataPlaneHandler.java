package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.HttpExchanges;
import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A vault's Key Vault REST endpoint. Order of checks: route, api-version, token (401), then the call
 * is counted and faults apply, then firewall and access policy (403), then the operation.
 */
final class DataPlaneHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(DataPlaneHandler.class.getName());

    private final Vault vault;
    private final VaultAuthentication authentication;
    private final RequestCounter counter;
    private final Faults faults;
    private final KeyOperations operations;

    DataPlaneHandler(
            Vault vault,
            VaultAuthentication authentication,
            RequestCounter counter,
            Faults faults,
            KeyOperations operations) {
        this.vault = vault;
        this.authentication = authentication;
        this.counter = counter;
        this.faults = faults;
        this.operations = operations;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        exchange.getResponseHeaders().set("x-ms-keyvault-service-version", "1.9.0.0");
        try {
            byte[] body = HttpExchanges.body(exchange);
            DataPlaneRoute route = DataPlaneRoute.parse(
                    exchange.getRequestMethod(),
                    HttpExchanges.segments(exchange),
                    exchange.getRequestURI().getRawPath());
            Map<String, String> query = HttpExchanges.query(exchange);
            ApiVersions.check(query.get("api-version"));
            VaultSettings settings = vault.settings();
            Caller caller =
                    authentication.verify(exchange.getRequestHeaders().getFirst("Authorization"), settings.tenantId());
            String operation =
                    route.permission() == null ? route.action().name().toLowerCase(Locale.ROOT) : route.permission();
            counter.count(vault.name(), operation);
            faults.apply(vault.name(), operation);
            if (settings.firewall()) {
                throw DataPlaneErrors.firewall(caller, vault.name());
            }
            if (route.permission() != null && !vault.allows(caller.objectId(), route.permission())) {
                throw DataPlaneErrors.accessDenied(caller, route.permission(), vault.name());
            }
            if (route.name() != null) {
                // A name Key Vault never makes is a bad request on every route, not a key that is not found.
                VaultKeys.checkName(route.name());
            }
            JsonNode answer = operations.execute(
                    route,
                    parse(body),
                    query,
                    vault.vaultUrl() + exchange.getRequestURI().getRawPath());
            if (answer == null) {
                HttpExchanges.send(exchange, 204, new byte[0]);
            } else {
                HttpExchanges.sendJson(exchange, 200, answer);
            }
        } catch (KeyVaultException e) {
            e.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            HttpExchanges.sendJson(exchange, e.status(), DataPlaneErrors.body(e));
        } catch (IllegalArgumentException e) {
            HttpExchanges.sendJson(exchange, 400, DataPlaneErrors.body(DataPlaneErrors.badParameter(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "vault " + vault.name() + " failed on " + exchange.getRequestURI(), e);
            HttpExchanges.sendJson(
                    exchange,
                    500,
                    DataPlaneErrors.body(new KeyVaultException(
                            500,
                            "InternalServerError",
                            "The emulator failed: " + e.getClass().getSimpleName(),
                            null,
                            Map.of())));
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw DataPlaneErrors.badParameter(e.getMessage());
        }
    }
}
