package com.databox.cmk.emulator.admin;

import com.databox.cmk.emulator.http.HttpExchanges;
import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.identity.Applications;
import com.databox.cmk.emulator.identity.Directory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The admin API of application registrations, under {@code /admin/applications} (EMULATOR.md):
 * {@code PUT /admin/applications/{name}} {@code {tenantId, federatedCredentials: [{issuer, subject}]}}
 * registers a multi-tenant application in {@code tenantId} (default: the default tenant) trusting those
 * assertions; {@code PUT} and {@code DELETE /admin/applications/{name}/service-principals/{tenantId}}
 * consent to it in a tenant or withdraw that; {@code GET} and {@code DELETE /admin/applications/{name}}.
 */
public final class ApplicationsHandler implements HttpHandler {
    private final Applications applications;
    private final Directory directory;

    public ApplicationsHandler(Applications applications, Directory directory) {
        this.applications = applications;
        this.directory = directory;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] raw = HttpExchanges.body(exchange);
            List<String> path = HttpExchanges.segments(exchange);
            JsonNode answer = route(exchange.getRequestMethod(), path.subList(2, path.size()), raw);
            if (answer == null) {
                HttpExchanges.sendJson(
                        exchange,
                        404,
                        error(
                                "NotFound",
                                "No admin operation " + exchange.getRequestMethod() + " "
                                        + exchange.getRequestURI().getPath()));
                return;
            }
            HttpExchanges.sendJson(exchange, 200, answer);
        } catch (NoSuchElementException e) {
            HttpExchanges.sendJson(exchange, 404, error("NotFound", e.getMessage()));
        } catch (IllegalArgumentException e) {
            HttpExchanges.sendJson(exchange, 400, error("BadRequest", e.getMessage()));
        }
    }

    private JsonNode route(String method, List<String> path, byte[] raw) {
        if (path.size() == 1) {
            String name = path.getFirst();
            return switch (method) {
                case "PUT" -> json(put(name, Json.parse(raw)));
                case "GET" -> json(applications.byName(name).orElseThrow(() -> notFound(name)));
                case "DELETE" -> {
                    if (!applications.delete(name)) {
                        throw notFound(name);
                    }
                    yield Json.object().put("deleted", name);
                }
                default -> null;
            };
        }
        if (path.size() == 3 && "service-principals".equals(path.get(1))) {
            return switch (method) {
                case "PUT" -> json(applications.addServicePrincipal(path.getFirst(), path.get(2)));
                case "DELETE" -> json(applications.removeServicePrincipal(path.getFirst(), path.get(2)));
                default -> null;
            };
        }
        return null;
    }

    private Applications.Application put(String name, JsonNode body) {
        String tenant = Json.text(body, "tenantId");
        List<Applications.FederatedCredential> credentials = new ArrayList<>();
        for (JsonNode credential : body.path("federatedCredentials")) {
            String issuer = Json.text(credential, "issuer");
            String subject = Json.text(credential, "subject");
            if (issuer == null || subject == null) {
                throw new IllegalArgumentException("A federated credential needs an issuer and a subject");
            }
            credentials.add(new Applications.FederatedCredential(issuer, subject));
        }
        return applications.put(name, tenant == null ? directory.defaultTenantId() : tenant, credentials);
    }

    private static ObjectNode json(Applications.Application application) {
        ObjectNode json = Json.object()
                .put("name", application.name())
                .put("appId", application.appId())
                .put("objectId", application.objectId())
                .put("tenantId", application.homeTenantId());
        ArrayNode credentials = json.putArray("federatedCredentials");
        application
                .federatedCredentials()
                .forEach(c -> credentials.addObject().put("issuer", c.issuer()).put("subject", c.subject()));
        ObjectNode principals = json.putObject("servicePrincipals");
        application.servicePrincipals().forEach(principals::put);
        return json;
    }

    private static NoSuchElementException notFound(String name) {
        return new NoSuchElementException("Application '" + name + "' not found");
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }
}
