package com.databox.cmk.emulator.arm;

import com.databox.cmk.emulator.http.HttpExchanges;
import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.identity.Directory;
import com.databox.cmk.emulator.identity.FunctionAppIdentities;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slice of Azure Resource Manager the service uses: user-assigned identities
 * ({@code Microsoft.ManagedIdentity/userAssignedIdentities}, backed by the {@link Directory}) and the
 * function app's identity assignments ({@code Microsoft.Web/sites}, GET and PATCH).
 */
public final class ArmHandler implements HttpHandler {
    public static final String LOCATION = "westus";
    private static final Set<String> IDENTITY_API_VERSIONS = Set.of("2023-01-31", "2024-11-30", "2018-11-30");
    private static final Set<String> SITES_API_VERSIONS = Set.of("2023-12-01", "2024-04-01", "2022-03-01");

    /** An ARM error: {@code {"error":{"code","message"}}}, with optional headers. */
    static final class ArmError extends RuntimeException {
        final int status;
        final String code;
        final Map<String, String> headers = new LinkedHashMap<>();

        ArmError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        ArmError header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    private record Placement(String location, JsonNode tags) {}

    private static final String READ_ROLE_ASSIGNMENTS = "Microsoft.Authorization/roleAssignments/read";
    private static final Set<String> AUTHORIZATION_API_VERSIONS = Set.of("2022-04-01", "2020-10-01-preview");
    private static final java.util.regex.Pattern ASSIGNED_TO =
            java.util.regex.Pattern.compile("assignedTo\\('([0-9A-Fa-f-]{36})'\\)");

    private final Directory directory;
    private final FunctionAppIdentities functionApp;
    private final ArmAuthentication authentication;
    private final RoleAssignments roles;
    private final Map<String, Placement> placements = new ConcurrentHashMap<>();

    public ArmHandler(
            Directory directory,
            FunctionAppIdentities functionApp,
            ArmAuthentication authentication,
            RoleAssignments roles) {
        this.directory = directory;
        this.functionApp = functionApp;
        this.authentication = authentication;
        this.roles = roles;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = HttpExchanges.body(exchange);
            String callerId = authentication.verify(exchange.getRequestHeaders().getFirst("Authorization"));
            Map<String, String> query = HttpExchanges.query(exchange);
            List<String> segments = HttpExchanges.segments(exchange);
            Answer answer = authorization(callerId, exchange.getRequestMethod(), segments, query);
            if (answer == null) {
                answer = route(exchange.getRequestMethod(), segments, query.get("api-version"), body);
            }
            if (answer.body() == null) {
                HttpExchanges.send(exchange, answer.status(), new byte[0]);
            } else {
                HttpExchanges.sendJson(exchange, answer.status(), answer.body());
            }
        } catch (ArmError e) {
            e.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            sendError(exchange, e.status, e.code, e.getMessage());
        } catch (IllegalArgumentException e) {
            sendError(exchange, 400, "BadRequest", e.getMessage());
        } catch (RuntimeException e) {
            sendError(
                    exchange,
                    500,
                    "InternalServerError",
                    "The emulator failed: " + e.getClass().getSimpleName());
        }
    }

    private record Answer(int status, JsonNode body) {}

    /**
     * {@code GET {scope}/providers/Microsoft.Authorization/roleAssignments?$filter=assignedTo('{oid}')} and
     * {@code GET /subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{id}}; null for other routes.
     */
    private Answer authorization(String callerId, String method, List<String> path, Map<String, String> query) {
        int n = path.size();
        if (n >= 5
                && is(path.get(n - 1), "roleAssignments")
                && is(path.get(n - 2), "Microsoft.Authorization")
                && is(path.get(n - 3), "providers")) {
            requireGet(method);
            requireApiVersion(query.get("api-version"), AUTHORIZATION_API_VERSIONS);
            String filter = query.get("$filter");
            java.util.regex.Matcher assignedTo = filter == null ? null : ASSIGNED_TO.matcher(filter);
            if (filter != null && !assignedTo.matches()) {
                throw new ArmError(
                        400, "UnsupportedQuery", "The emulator supports only $filter=assignedTo('{objectId}').");
            }
            String scope = "/" + String.join("/", path.subList(0, n - 3));
            boolean readable = is(path.get(0), "subscriptions")
                    && n >= 2
                    && (is(path.get(1), Directory.SUBSCRIPTION_ID)
                            || roles.holds(callerId, "/subscriptions/" + path.get(1), READ_ROLE_ASSIGNMENTS));
            if (!readable) {
                // The function app's identity reads role assignments in its own subscription, and in another only
                // where it was given a role that reads them (Reader, say), as in Azure.
                throw new ArmError(
                        403,
                        "AuthorizationFailed",
                        "The client does not have authorization to perform action"
                                + " 'Microsoft.Authorization/roleAssignments/read' over scope '" + scope
                                + "' or the scope is invalid.");
            }
            com.fasterxml.jackson.databind.node.ArrayNode value = Json.MAPPER.createArrayNode();
            roles.assignedTo(filter == null ? null : assignedTo.group(1), scope)
                    .forEach(a -> value.add(roles.assignmentJson(a)));
            return new Answer(200, Json.object().set("value", value));
        }
        if (n == 6
                && is(path.get(0), "subscriptions")
                && is(path.get(2), "providers")
                && is(path.get(3), "Microsoft.Authorization")
                && is(path.get(4), "roleDefinitions")) {
            requireGet(method);
            requireApiVersion(query.get("api-version"), AUTHORIZATION_API_VERSIONS);
            return new Answer(
                    200,
                    RoleAssignments.roleJson(RoleAssignments.role(path.get(5))
                            .orElseThrow(() -> new ArmError(
                                    404,
                                    "RoleDefinitionDoesNotExist",
                                    "The role definition '" + path.get(5) + "' does not exist."))));
        }
        return null;
    }

    private static void requireGet(String method) {
        if (!"GET".equals(method)) {
            throw new ArmError(405, "MethodNotAllowed", "The method " + method + " is not allowed.");
        }
    }

    private Answer route(String method, List<String> path, String apiVersion, byte[] body) {
        if (path.size() != 8
                || !is(path.get(0), "subscriptions")
                || !is(path.get(2), "resourceGroups")
                || !is(path.get(4), "providers")) {
            throw new ArmError(404, "InvalidResourceType", "No route for " + String.join("/", path));
        }
        if (!is(path.get(1), Directory.SUBSCRIPTION_ID)) {
            throw new ArmError(
                    404, "SubscriptionNotFound", "The subscription '" + path.get(1) + "' could not be found.");
        }
        if (!is(path.get(3), Directory.RESOURCE_GROUP)) {
            throw new ArmError(
                    404, "ResourceGroupNotFound", "Resource group '" + path.get(3) + "' could not be found.");
        }
        String type = path.get(5) + "/" + path.get(6);
        String name = path.get(7);
        if (is(type, "Microsoft.ManagedIdentity/userAssignedIdentities")) {
            requireApiVersion(apiVersion, IDENTITY_API_VERSIONS);
            return identity(method, name, body);
        }
        if (is(type, "Microsoft.Web/sites") && is(name, FunctionAppIdentities.APP_NAME)) {
            requireApiVersion(apiVersion, SITES_API_VERSIONS);
            return site(method, body);
        }
        throw notFound(type, name);
    }

    private Answer identity(String method, String name, byte[] raw) {
        return switch (method) {
            case "PUT" -> {
                JsonNode body = Json.parse(raw);
                String location = Json.text(body, "location");
                if (location == null || location.isBlank()) {
                    throw new ArmError(
                            400, "LocationRequired", "The location property is required for this definition.");
                }
                boolean existed = directory.byName(name).isPresent();
                IdentityInfo identity = directory.byName(name).isPresent()
                        ? directory.put(name, null)
                        : directory.put(name, directory.subscriptionTenantId());
                placements.put(
                        key(name),
                        new Placement(location, body.path("tags").isObject() ? body.get("tags") : Json.object()));
                yield new Answer(existed ? 200 : 201, identityJson(identity));
            }
            case "GET" ->
                new Answer(
                        200,
                        identityJson(directory
                                .byName(name)
                                .filter(i -> i.resourceId() != null)
                                .orElseThrow(
                                        () -> notFound("Microsoft.ManagedIdentity/userAssignedIdentities", name))));
            case "DELETE" -> {
                boolean deleted = directory
                                .byName(name)
                                .filter(i -> i.resourceId() != null)
                                .isPresent()
                        && directory.delete(name);
                placements.remove(key(name));
                yield new Answer(deleted ? 200 : 204, null);
            }
            default -> throw new ArmError(405, "MethodNotAllowed", "The method " + method + " is not allowed.");
        };
    }

    private Answer site(String method, byte[] raw) {
        if ("PATCH".equals(method)) {
            assign(Json.parse(raw).path("identity"));
        } else if (!"GET".equals(method)) {
            throw new ArmError(405, "MethodNotAllowed", "The method " + method + " is not allowed.");
        }
        return new Answer(200, siteJson());
    }

    /** ARM merges on PATCH: an identity mapped to an object is added, one mapped to null removed. */
    private void assign(JsonNode identity) {
        if (identity.isMissingNode()) {
            return;
        }
        String type = identity.path("type").asText("").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!Set.of(type.split(",")).contains("systemassigned")) {
            throw new ArmError(400, "BadRequest", "The emulator's function app keeps its system-assigned identity.");
        }
        if (!Set.of(type.split(",")).contains("userassigned")) {
            functionApp.unassignAll();
            return;
        }
        for (Map.Entry<String, JsonNode> entry :
                identity.path("userAssignedIdentities").properties()) {
            if (entry.getValue().isNull()) {
                functionApp.unassign(entry.getKey());
            } else if (directory.byResourceId(entry.getKey()).isPresent()) {
                functionApp.assign(entry.getKey());
            } else {
                throw new ArmError(400, "FailedIdentityOperation", "Identity '" + entry.getKey() + "' was not found.");
            }
        }
    }

    private ObjectNode identityJson(IdentityInfo identity) {
        Placement placement = placements.getOrDefault(key(identity.name()), new Placement(LOCATION, Json.object()));
        ObjectNode node = Json.object()
                .put("id", identity.resourceId())
                .put("name", identity.name())
                .put("type", "Microsoft.ManagedIdentity/userAssignedIdentities")
                .put("location", placement.location());
        node.set("tags", placement.tags());
        node.putObject("properties")
                .put("principalId", identity.principalId())
                .put("clientId", identity.clientId())
                .put("tenantId", identity.tenantId());
        return node;
    }

    private ObjectNode siteJson() {
        ObjectNode site = Json.object()
                .put("id", FunctionAppIdentities.resourceId())
                .put("name", FunctionAppIdentities.APP_NAME)
                .put("type", "Microsoft.Web/sites")
                .put("kind", "functionapp")
                .put("location", LOCATION);
        IdentityInfo system = directory.systemIdentity();
        ObjectNode identity = site.putObject("identity")
                .put("principalId", system.principalId())
                .put("tenantId", system.tenantId());
        ObjectNode assigned = Json.object();
        for (String resourceId : functionApp.all()) {
            directory
                    .byResourceId(resourceId)
                    .ifPresent(i -> assigned.putObject(i.resourceId())
                            .put("principalId", i.principalId())
                            .put("clientId", i.clientId()));
        }
        identity.put("type", assigned.isEmpty() ? "SystemAssigned" : "SystemAssigned, UserAssigned");
        if (!assigned.isEmpty()) {
            identity.set("userAssignedIdentities", assigned);
        }
        return site;
    }

    private static void requireApiVersion(String apiVersion, Set<String> supported) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new ArmError(
                    400,
                    "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.");
        }
        if (!supported.contains(apiVersion)) {
            throw new ArmError(
                    400,
                    "InvalidApiVersionParameter",
                    "The api-version '" + apiVersion + "' is invalid. The supported versions are '"
                            + String.join(",", supported) + "'.");
        }
    }

    private static ArmError notFound(String type, String name) {
        return new ArmError(
                404,
                "ResourceNotFound",
                "The Resource '" + type + "/" + name + "' under resource group '" + Directory.RESOURCE_GROUP
                        + "' was not found.");
    }

    private static void sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        HttpExchanges.sendJson(exchange, status, body);
    }

    private static boolean is(String actual, String expected) {
        return actual.equalsIgnoreCase(expected);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
