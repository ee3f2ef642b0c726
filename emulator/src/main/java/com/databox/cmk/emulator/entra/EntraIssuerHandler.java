package com.databox.cmk.emulator.entra;

import com.databox.cmk.emulator.http.HttpExchanges;
import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.keyvault.Faults;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /entra/{tenant}/v2.0/.well-known/openid-configuration} and
 * {@code GET /entra/{tenant}/discovery/v2.0/keys}, the two documents a token validator reads. A
 * fault whose operation is {@value #SIGNING_KEYS} (its {@code vault} a tenant ID, or none for every
 * tenant) makes the keys document fail as Entra ID does when it is down or does not know the tenant.
 */
public final class EntraIssuerHandler implements HttpHandler {
    public static final String SIGNING_KEYS = "signingKeys";

    private final EntraIssuer issuer;
    private final Faults faults;

    public EntraIssuerHandler(EntraIssuer issuer, Faults faults) {
        this.issuer = issuer;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        List<String> path = HttpExchanges.segments(exchange);
        if (!"GET".equals(exchange.getRequestMethod()) || path.size() < 4) {
            HttpExchanges.sendJson(exchange, 404, Json.object().put("error", "not_found"));
            return;
        }
        String tenant = path.get(1);
        String rest = String.join("/", path.subList(2, path.size()));
        switch (rest) {
            case "v2.0/.well-known/openid-configuration" ->
                HttpExchanges.sendJson(exchange, 200, issuer.discovery(tenant));
            case "discovery/v2.0/keys" -> {
                if (!failed(exchange, tenant)) {
                    HttpExchanges.sendJson(exchange, 200, issuer.jwks());
                }
            }
            default -> HttpExchanges.sendJson(exchange, 404, Json.object().put("error", "not_found"));
        }
    }

    private boolean failed(HttpExchange exchange, String tenant) throws IOException {
        Faults.Fault fault = faults.takeNamed(tenant, SIGNING_KEYS);
        if (fault == null) {
            return false;
        }
        if (fault.delayMs() > 0) {
            try {
                Thread.sleep(fault.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fault.status() == 0) {
            return false;
        }
        if (fault.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(fault.retryAfterSeconds()));
        }
        boolean outage = fault.status() >= 500 || fault.status() == 429;
        HttpExchanges.sendJson(
                exchange,
                fault.status(),
                Json.object()
                        .put("error", outage ? "temporarily_unavailable" : "invalid_tenant")
                        .put("error_description", "Injected fault " + fault.status() + "."));
        return true;
    }
}
