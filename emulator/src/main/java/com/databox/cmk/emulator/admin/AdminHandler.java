package com.databox.cmk.emulator.admin;

import com.databox.cmk.emulator.arm.RoleAssignments;
import com.databox.cmk.emulator.entra.EntraIssuer;
import com.databox.cmk.emulator.entra.EntraIssuerHandler;
import com.databox.cmk.emulator.entra.TokenIssuer;
import com.databox.cmk.emulator.http.HttpExchanges;
import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.identity.Directory;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.emulator.keyvault.DataPlaneErrors;
import com.databox.cmk.emulator.keyvault.Faults;
import com.databox.cmk.emulator.keyvault.KeyPermissions;
import com.databox.cmk.emulator.keyvault.KeyVaultException;
import com.databox.cmk.emulator.keyvault.RequestCounter;
import com.databox.cmk.emulator.keyvault.Vault;
import com.databox.cmk.emulator.keyvault.VaultInfo;
import com.databox.cmk.emulator.keyvault.VaultRegistry;
import com.databox.cmk.emulator.keyvault.VaultSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin API of EMULATOR.md under {@code /admin}. Extensions beyond the spec: {@code GET /admin/vaults},
 * {@code GET /admin/vaults/{vault}}, {@code GET /admin/vaults/{vault}/access-policies},
 * {@code GET /admin/vaults/{vault}/keys/{key}} (its versions),
 * {@code GET /admin/identities}, {@code GET /admin/identities/{name}} (the app's own is {@code system}),
 * {@code GET} and {@code DELETE /admin/faults}, and {@code ?force=true} on key purge to purge even under
 * purge protection (as if the retention period had passed). A PUT on an existing vault keeps the
 * settings its body leaves out. Documented in docs/EMULATOR-MANUAL.md.
 */
public final class AdminHandler implements HttpHandler {

    private final EntraIssuer entra;
    private final RoleAssignments roles;

    private static final Logger LOG = Logger.getLogger(AdminHandler.class.getName());

    /** An admin error: status and message, answered as {@code {"error":{"code","message"}}}. */
    static final class AdminException extends RuntimeException {
        private final int status;

        AdminException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final Directory directory;
    private final VaultRegistry vaults;
    private final Faults faults;
    private final RequestCounter counter;

    public AdminHandler(
            Directory directory,
            VaultRegistry vaults,
            Faults faults,
            RequestCounter counter,
            EntraIssuer entra,
            RoleAssignments roles) {
        this.entra = entra;
        this.roles = roles;
        this.directory = directory;
        this.vaults = vaults;
        this.faults = faults;
        this.counter = counter;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] raw = HttpExchanges.body(exchange);
            List<String> path = HttpExchanges.segments(exchange);
            String method = exchange.getRequestMethod();
            JsonNode answer = route(method, path.subList(1, path.size()), raw, HttpExchanges.query(exchange));
            if (answer == null) {
                throw new AdminException(
                        404,
                        "No admin operation " + method + " "
                                + exchange.getRequestURI().getPath());
            }
            HttpExchanges.sendJson(exchange, 200, answer);
        } catch (AdminException e) {
            HttpExchanges.sendJson(exchange, e.status, error(e.status, e.getMessage()));
        } catch (KeyVaultException e) {
            HttpExchanges.sendJson(exchange, e.status(), DataPlaneErrors.body(e));
        } catch (IllegalArgumentException e) {
            HttpExchanges.sendJson(exchange, 400, error(400, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "admin call failed: " + exchange.getRequestURI(), e);
            HttpExchanges.sendJson(
                    exchange,
                    500,
                    error(500, "The emulator failed: " + e.getClass().getSimpleName()));
        }
    }

    private JsonNode route(String method, List<String> path, byte[] raw, Map<String, String> query) {
        if (path.isEmpty()) {
            return null;
        }
        return switch (path.getFirst()) {
            case "vaults" -> vaults(method, path, raw, query);
            case "identities" -> identities(method, path, raw);
            case "faults" -> path.size() == 1 ? faults(method, raw) : null;
            case "requests" -> path.size() == 1 ? requests(method, query) : null;
            case "subscription" ->
                path.size() == 2 && "tenant".equals(path.get(1)) && "PUT".equals(method)
                        ? subscriptionTenant(Json.parse(raw))
                        : null;
            case "caller-tokens" -> path.size() == 1 && "POST".equals(method) ? callerToken(Json.parse(raw)) : null;
            case "role-assignments" -> roleAssignments(method, path, raw);
            case "groups" -> path.size() == 2 && "PUT".equals(method) ? group(path.get(1), Json.parse(raw)) : null;
            default -> null;
        };
    }

    private JsonNode vaults(String method, List<String> path, byte[] raw, Map<String, String> query) {
        if (path.size() == 1) {
            if (!method.equals("GET")) {
                return null;
            }
            ArrayNode list = Json.MAPPER.createArrayNode();
            vaults.all().forEach(v -> list.add(vaultJson(v)));
            return Json.object().set("value", list);
        }
        String name = path.get(1);
        if (path.size() == 2) {
            return switch (method) {
                case "PUT" -> vaultJson(putVault(name, Json.parse(raw)));
                case "GET" -> vaultJson(vault(name));
                case "DELETE" -> {
                    if (!vaults.delete(name)) {
                        throw new AdminException(404, "Vault '" + name + "' not found");
                    }
                    yield Json.object().put("deleted", name);
                }
                default -> null;
            };
        }
        if (path.size() == 3 && "recover".equals(path.get(2)) && "POST".equals(method)) {
            return vaultJson(vaults.recover(name)
                    .orElseThrow(() -> new AdminException(404, "No deleted vault '" + name + "' to recover")));
        }
        Vault vault = vault(name);
        return switch (path.get(2)) {
            case "access-policies" -> policies(method, vault, path, raw);
            case "keys" ->
                path.size() >= 4
                        ? AdminKeys.route(
                                method,
                                vault,
                                vaults.operations(vault),
                                path.subList(3, path.size()),
                                Json.parse(raw),
                                "true".equalsIgnoreCase(query.get("force")))
                        : null;
            case "tenant" -> {
                if (path.size() != 3 || !method.equals("PUT")) {
                    yield null;
                }
                String tenant = required(Json.parse(raw), "tenantId");
                vault.settings(vault.settings().withTenant(tenant));
                yield vaultJson(vault);
            }
            default -> null;
        };
    }

    private JsonNode subscriptionTenant(JsonNode body) {
        directory.moveSubscription(Json.text(body, "tenantId"));
        return Json.object().put("tenantId", directory.subscriptionTenantId());
    }

    private Vault putVault(String name, JsonNode body) {
        String tenant = Json.text(body, "tenantId");
        Boolean softDelete = Json.bool(body, "softDelete");
        Boolean purgeProtection = Json.bool(body, "purgeProtection");
        Integer retention = Json.integer(body, "retentionDays");
        Boolean firewall = Json.bool(body, "firewall");
        String sku = Json.text(body, "sku");
        return vaults.put(
                name,
                current -> Optional.of(new VaultSettings(
                        tenant != null
                                ? tenant
                                : current.map(VaultSettings::tenantId).orElse(directory.defaultTenantId()),
                        softDelete != null
                                ? softDelete
                                : current.map(VaultSettings::softDelete).orElse(true),
                        purgeProtection != null
                                ? purgeProtection
                                : current.map(VaultSettings::purgeProtection).orElse(false),
                        retention != null
                                ? retention
                                : current.map(VaultSettings::retentionDays)
                                        .orElse(VaultSettings.DEFAULT_RETENTION_DAYS),
                        firewall != null
                                ? firewall
                                : current.map(VaultSettings::firewall).orElse(false),
                        sku != null ? sku : current.map(VaultSettings::sku).orElse(VaultSettings.STANDARD))));
    }

    private Vault vault(String name) {
        return vaults.find(name).orElseThrow(() -> new AdminException(404, "Vault '" + name + "' not found"));
    }

    static ObjectNode vaultJson(Vault vault) {
        VaultInfo info = vault.info();
        VaultSettings settings = vault.settings();
        return Json.object()
                .put("name", vault.name())
                .put("vaultUrl", info.vaultUrl())
                .put("resourceId", info.resourceId())
                .put("recoveryLevel", info.recoveryLevel())
                .put("recoverableDays", settings.recoverableDays())
                .put("tenantId", info.tenantId())
                .put("port", info.port())
                .put("softDelete", settings.softDelete())
                .put("purgeProtection", settings.purgeProtection())
                .put("retentionDays", settings.retentionDays())
                .put("firewall", settings.firewall())
                .put("sku", settings.sku());
    }

    private static JsonNode policies(String method, Vault vault, List<String> path, byte[] raw) {
        if (path.size() == 3) {
            if (!method.equals("GET")) {
                return null;
            }
            ObjectNode all = Json.object();
            vault.policies().forEach((principal, keys) -> keys.forEach(all.putArray(principal)::add));
            return all;
        }
        if (path.size() != 4) {
            return null;
        }
        String principal = path.get(3);
        return switch (method) {
            case "PUT" -> {
                JsonNode keys = Json.parse(raw).get("keys");
                if (keys == null || !keys.isArray()) {
                    throw new IllegalArgumentException("'keys' must be an array of key permissions");
                }
                Set<String> permissions = new LinkedHashSet<>();
                keys.forEach(k -> permissions.add(k.asText()));
                vault.grant(principal, permissions);
                ObjectNode answer = Json.object().put("vault", vault.name()).put("principalId", principal);
                permissions.forEach(answer.putArray("keys")::add);
                yield answer;
            }
            case "DELETE" -> {
                if (!vault.revoke(principal)) {
                    throw new AdminException(
                            404, "No access policy for principal '" + principal + "' on vault '" + vault.name() + "'");
                }
                yield Json.object().put("vault", vault.name()).put("revoked", principal);
            }
            default -> null;
        };
    }

    private JsonNode identities(String method, List<String> path, byte[] raw) {
        if (path.size() == 1) {
            if (!method.equals("GET")) {
                return null;
            }
            ArrayNode list = Json.MAPPER.createArrayNode();
            directory.all().forEach(i -> list.add(identityJson(i)));
            return Json.object().set("value", list);
        }
        if (path.size() != 2) {
            return null;
        }
        String name = path.get(1);
        return switch (method) {
            case "PUT" -> identityJson(directory.put(name, Json.text(Json.parse(raw), "tenantId")));
            case "GET" ->
                identityJson(directory
                        .byName(name)
                        .orElseThrow(() -> new AdminException(404, "Identity '" + name + "' not found")));
            case "DELETE" -> {
                if (!directory.delete(name)) {
                    throw new AdminException(404, "Identity '" + name + "' not found");
                }
                yield Json.object().put("deleted", name);
            }
            default -> null;
        };
    }

    /**
     * {@code PUT /admin/role-assignments/{name} {"principalId","scope","role"}} (a built-in role's name or ID),
     * {@code GET /admin/role-assignments}, {@code DELETE /admin/role-assignments/{name}}: Azure RBAC as ARM reports it.
     */
    private JsonNode roleAssignments(String method, List<String> path, byte[] raw) {
        if (path.size() == 1) {
            if (!"GET".equals(method)) {
                return null;
            }
            ArrayNode list = Json.MAPPER.createArrayNode();
            roles.all().forEach(a -> list.add(roles.assignmentJson(a)));
            return Json.object().set("value", list);
        }
        if (path.size() != 2) {
            return null;
        }
        String name = path.get(1);
        return switch (method) {
            case "PUT" -> {
                JsonNode body = Json.parse(raw);
                yield roles.assignmentJson(roles.put(
                        name, Json.text(body, "principalId"), Json.text(body, "scope"), Json.text(body, "role")));
            }
            case "DELETE" -> {
                if (!roles.delete(name)) {
                    throw new AdminException(404, "Role assignment '" + name + "' not found");
                }
                yield Json.object().put("deleted", name);
            }
            default -> null;
        };
    }

    /** {@code PUT /admin/groups/{objectId} {"members":[objectId, …]}}: a security group, for role assignments. */
    private JsonNode group(String groupId, JsonNode body) {
        List<String> members = new java.util.ArrayList<>();
        body.path("members").forEach(m -> members.add(m.asText()));
        roles.putGroup(groupId, members);
        ObjectNode answer = Json.object().put("objectId", groupId);
        members.forEach(answer.putArray("members")::add);
        return answer;
    }

    static ObjectNode identityJson(IdentityInfo identity) {
        ObjectNode node = Json.object().put("name", identity.name());
        if (identity.resourceId() == null) {
            node.putNull("resourceId");
        } else {
            node.put("resourceId", identity.resourceId());
        }
        return node.put("principalId", identity.principalId())
                .put("clientId", identity.clientId())
                .put("tenantId", identity.tenantId());
    }

    /**
     * {@code POST /admin/caller-tokens {"roles":[…], "oid"?, "appId"?, "tenantId"?, "audience"?, "lifetimeSeconds"?,
     * "appOnly"?, "issuedAtOffsetSeconds"?}}: a caller's access token from the local Entra ID issuer ({@code appOnly}:
     * an application's own token, {@code idtyp=app}; the offset moves {@code iat}, {@code nbf} and {@code exp}).
     */
    private JsonNode callerToken(JsonNode body) {
        List<String> roles = new java.util.ArrayList<>();
        body.path("roles").forEach(role -> roles.add(role.asText()));
        String tenant = textOr(body, "tenantId", directory.defaultTenantId());
        Integer seconds = Json.integer(body, "lifetimeSeconds");
        Integer shift = Json.integer(body, "issuedAtOffsetSeconds");
        TokenIssuer.Token token = entra.callerToken(
                tenant,
                textOr(body, "audience", EntraIssuer.DEFAULT_AUDIENCE),
                textOr(body, "oid", java.util.UUID.randomUUID().toString()),
                textOr(body, "appId", java.util.UUID.randomUUID().toString()),
                roles,
                java.time.Duration.ofSeconds(seconds == null ? 3600 : seconds),
                body.path("appOnly").asBoolean(false),
                java.time.Duration.ofSeconds(shift == null ? 0 : shift));
        return Json.object()
                .put("access_token", token.accessToken())
                .put("expires_on", token.expiresOn().getEpochSecond())
                .put("issuer", entra.issuer(tenant));
    }

    private static String textOr(JsonNode body, String field, String fallback) {
        String value = Json.text(body, field);
        return value == null ? fallback : value;
    }

    private JsonNode faults(String method, byte[] raw) {
        return switch (method) {
            case "POST" -> {
                JsonNode body = Json.parse(raw);
                Integer status = Json.integer(body, "status");
                Integer count = Json.integer(body, "count");
                Integer retryAfter = Json.integer(body, "retryAfterSeconds");
                Integer delay = Json.integer(body, "delayMs");
                String vault = Json.text(body, "vault");
                String operation = Json.text(body, "operation");
                checkFaultTarget(vault, operation);
                Faults.Fault fault = new Faults.Fault(
                        vault,
                        operation,
                        status == null ? 0 : status,
                        count == null ? 1 : count,
                        retryAfter != null ? retryAfter : defaultRetryAfter(status),
                        delay == null ? 0 : delay);
                faults.add(fault);
                yield Json.MAPPER.valueToTree(fault);
            }
            case "GET" -> Json.object().set("value", Json.MAPPER.valueToTree(faults.pending()));
            case "DELETE" -> {
                faults.clear();
                yield Json.object().put("cleared", true);
            }
            default -> null;
        };
    }

    /**
     * Refuses a fault that could never fire: an {@code operation} that is neither a data-plane operation (a key
     * permission name, or {@code random_bytes}) nor {@code signingKeys}, and a Key Vault operation for a
     * {@code vault} that is neither served nor soft-deleted. Without an operation, {@code vault} is not checked:
     * such a fault may be scoped to a tenant's name so that it reaches no vault.
     */
    private void checkFaultTarget(String vault, String operation) {
        if (operation == null) {
            return;
        }
        if (EntraIssuerHandler.SIGNING_KEYS.equalsIgnoreCase(operation)) {
            return;
        }
        if (!KeyPermissions.OPERATIONS.contains(operation.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("Unknown fault operation '" + operation
                    + "': use a key permission name (get, wrapKey, unwrapKey, …), random_bytes or "
                    + EntraIssuerHandler.SIGNING_KEYS + ", or leave it out for every call");
        }
        if (vault != null && !vaults.known(vault)) {
            throw new IllegalArgumentException(
                    "No vault '" + vault + "' for a fault of operation '" + operation + "': create the vault first");
        }
    }

    /**
     * {@code Retry-After} seconds for a fault that gives none: 1 for 429, as Key Vault's throttling answer always
     * carries one; none otherwise. An explicit {@code retryAfterSeconds: 0} sends none.
     */
    private static int defaultRetryAfter(Integer status) {
        return status != null && status == 429 ? 1 : 0;
    }

    private JsonNode requests(String method, Map<String, String> query) {
        String vault = query.get("vault");
        return switch (method) {
            case "GET" -> {
                if (vault == null || vault.isBlank()) {
                    throw new IllegalArgumentException("The 'vault' query parameter is required");
                }
                yield Json.MAPPER.valueToTree(counter.counts(vault));
            }
            case "DELETE" -> {
                counter.reset(vault == null || vault.isBlank() ? null : vault);
                yield Json.object().put("reset", vault == null ? "*" : vault);
            }
            default -> null;
        };
    }

    static String required(JsonNode body, String field) {
        String value = Json.text(body, field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return value;
    }

    private static ObjectNode error(int status, String message) {
        String code = switch (status) {
            case 400 -> "BadRequest";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            default -> "InternalError";
        };
        ObjectNode root = Json.object();
        root.putObject("error").put("code", code).put("message", message);
        return root;
    }
}
