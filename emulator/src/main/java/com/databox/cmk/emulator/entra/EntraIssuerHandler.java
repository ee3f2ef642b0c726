package com.databox.cmk.emulator.entra;

import com.databox.cmk.emulator.http.HttpExchanges;
import com.databox.cmk.emulator.http.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /entra/{tenant}/v2.0/.well-known/openid-configuration} and
 * {@code GET /entra/{tenant}/discovery/v2.0/keys}, the two documents a token validator reads.
 */
public final class EntraIssuerHandler implements HttpHandler {
    private final EntraIssuer issuer;

    public EntraIssuerHandler(EntraIssuer issuer) {
        this.issuer = issuer;
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
            case "discovery/v2.0/keys" -> HttpExchanges.sendJson(exchange, 200, issuer.jwks());
            default -> HttpExchanges.sendJson(exchange, 404, Json.object().put("error", "not_found"));
        }
    }
}
