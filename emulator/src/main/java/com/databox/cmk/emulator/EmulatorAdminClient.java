package com.databox.cmk.emulator;

import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.identity.ApplicationInfo;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.emulator.keyvault.RequestCounts;
import com.databox.cmk.emulator.keyvault.VaultInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** A small client of the emulator's admin API (EMULATOR.md), for tests and tools. */
public final class EmulatorAdminClient {

    private final String adminUrl;
    private final HttpClient http;

    public EmulatorAdminClient(String adminUrl) {
        this.adminUrl = adminUrl.endsWith("/") ? adminUrl.substring(0, adminUrl.length() - 1) : adminUrl;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public VaultInfo createVault(
            String name,
            String tenantId,
            boolean softDelete,
            boolean purgeProtection,
            int retentionDays,
            boolean firewall) {
        ObjectNode body = Json.object()
                .put("softDelete", softDelete)
                .put("purgeProtection", purgeProtection)
                .put("retentionDays", retentionDays)
                .put("firewall", firewall);
        if (tenantId != null) {
            body.put("tenantId", tenantId);
        }
        return vaultInfo(call("PUT", "/admin/vaults/" + name, body));
    }

    /** A vault of {@code sku} ({@code standard} or {@code premium}: HSM-protected keys) with these settings. */
    public VaultInfo createVault(
            String name,
            String tenantId,
            boolean softDelete,
            boolean purgeProtection,
            int retentionDays,
            boolean firewall,
            String sku) {
        ObjectNode body = Json.object()
                .put("softDelete", softDelete)
                .put("purgeProtection", purgeProtection)
                .put("retentionDays", retentionDays)
                .put("firewall", firewall)
                .put("sku", sku);
        if (tenantId != null) {
            body.put("tenantId", tenantId);
        }
        return vaultInfo(call("PUT", "/admin/vaults/" + name, body));
    }

    /** A vault in the default tenant with soft delete and purge protection, 90 days, no firewall. */
    public VaultInfo createVault(String name) {
        return createVault(name, null, true, true, 90, false);
    }

    public void deleteVault(String name) {
        call("DELETE", "/admin/vaults/" + name, null);
    }

    /** Recovers a vault deleted with soft delete on: its keys, access policies and URL come back. */
    public VaultInfo recoverVault(String name) {
        return vaultInfo(call("POST", "/admin/vaults/" + name + "/recover", null));
    }

    /**
     * Moves the subscription to {@code tenantId} (null: back to the default tenant): identities
     * created through ARM from now on (an order's system-assigned identity) are in that tenant.
     */
    public void moveSubscription(String tenantId) {
        ObjectNode body = Json.object();
        if (tenantId != null) {
            body.put("tenantId", tenantId);
        }
        call("PUT", "/admin/subscription/tenant", body);
    }

    /** Replaces the permitted operations (key_ops) of a key version. */
    public void setKeyOps(String vault, String key, String version, String... ops) {
        ObjectNode body = Json.object();
        for (String op : ops) {
            body.withArray("key_ops").add(op);
        }
        call("PATCH", "/admin/vaults/" + vault + "/keys/" + key + "/" + version, body);
    }

    public VaultInfo moveVault(String name, String tenantId) {
        return vaultInfo(
                call("PUT", "/admin/vaults/" + name + "/tenant", Json.object().put("tenantId", tenantId)));
    }

    public void grant(String vault, String principalId, String... keyPermissions) {
        ObjectNode body = Json.object();
        for (String permission : keyPermissions) {
            body.withArray("keys").add(permission);
        }
        body.withArray("keys");
        call("PUT", "/admin/vaults/" + vault + "/access-policies/" + principalId, body);
    }

    public void revoke(String vault, String principalId) {
        call("DELETE", "/admin/vaults/" + vault + "/access-policies/" + principalId, null);
    }

    /** Creates a key or a new version; answers the versioned kid. */
    public String createKey(String vault, String key, String kty, int size) {
        return createKey(vault, key, kty, size, null, null, null);
    }

    public String createKey(String vault, String key, String kty, int size, Boolean enabled, Instant nbf, Instant exp) {
        ObjectNode body = Json.object().put("kty", kty);
        if (size > 0) {
            body.put("size", size);
        }
        putAttributes(body, enabled, nbf, exp);
        return call("POST", "/admin/vaults/" + vault + "/keys/" + key, body)
                .path("kid")
                .asText();
    }

    /** Changes the attributes given (null: unchanged). */
    public void updateKey(String vault, String key, String version, Boolean enabled, Instant nbf, Instant exp) {
        ObjectNode body = Json.object();
        putAttributes(body, enabled, nbf, exp);
        call("PATCH", "/admin/vaults/" + vault + "/keys/" + key + "/" + version, body);
    }

    public void deleteKey(String vault, String key) {
        call("DELETE", "/admin/vaults/" + vault + "/keys/" + key, null);
    }

    public String recoverKey(String vault, String key) {
        return call("POST", "/admin/vaults/" + vault + "/keys/" + key + "/recover", null)
                .path("kid")
                .asText();
    }

    public void purgeKey(String vault, String key) {
        call("DELETE", "/admin/vaults/" + vault + "/keys/" + key + "/purge", null);
    }

    public IdentityInfo createIdentity(String name, String tenantId) {
        ObjectNode body = Json.object();
        if (tenantId != null) {
            body.put("tenantId", tenantId);
        }
        return identityInfo(call("PUT", "/admin/identities/" + name, body));
    }

    /**
     * Registers the multi-tenant application {@code name} in {@code tenantId} (null: the default tenant) with
     * one federated identity credential trusting tokens of {@code issuer} about {@code subject}.
     */
    public ApplicationInfo createApplication(String name, String tenantId, String issuer, String subject) {
        ObjectNode body = Json.object();
        if (tenantId != null) {
            body.put("tenantId", tenantId);
        }
        body.putArray("federatedCredentials").addObject().put("issuer", issuer).put("subject", subject);
        return applicationInfo(call("PUT", "/admin/applications/" + name, body));
    }

    /** Consent in {@code tenantId}: answers the object ID of the application's service principal there. */
    public String consentApplication(String name, String tenantId) {
        return applicationInfo(call("PUT", "/admin/applications/" + name + "/service-principals/" + tenantId, null))
                .servicePrincipals()
                .get(tenantId.toLowerCase(java.util.Locale.ROOT));
    }

    public void withdrawApplicationConsent(String name, String tenantId) {
        call("DELETE", "/admin/applications/" + name + "/service-principals/" + tenantId, null);
    }

    public IdentityInfo identity(String name) {
        return identityInfo(call("GET", "/admin/identities/" + name, null));
    }

    /** A caller's bearer token from the local Entra ID issuer, with these app roles. */
    public String callerToken(String... roles) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
        com.fasterxml.jackson.databind.node.ArrayNode list = body.putArray("roles");
        for (String role : roles) {
            list.add(role);
        }
        return call("POST", "/admin/caller-tokens", body).path("access_token").asText();
    }

    /** A caller's token with every field of {@code POST /admin/caller-tokens} chosen by the test. */
    public String callerToken(com.fasterxml.jackson.databind.JsonNode request) {
        return call("POST", "/admin/caller-tokens", request)
                .path("access_token")
                .asText();
    }

    /**
     * Grants {@code principalId} a built-in Azure role ({@code Owner}, {@code Contributor}, {@code Reader},
     * {@code Managed Identity Operator}, {@code Managed Identity Contributor}) at an ARM {@code scope}; returns
     * the assignment's name, for {@link #deleteRoleAssignment}.
     */
    public String assignRole(String principalId, String scope, String role) {
        String name = java.util.UUID.randomUUID().toString();
        call(
                "PUT",
                "/admin/role-assignments/" + name,
                Json.object()
                        .put("principalId", principalId)
                        .put("scope", scope)
                        .put("role", role));
        return name;
    }

    /** Makes or replaces a security group (its object ID) with these members, whose roles its members have. */
    public void putGroup(String groupId, String... members) {
        ObjectNode body = Json.object();
        java.util.Arrays.stream(members).forEach(body.putArray("members")::add);
        call("PUT", "/admin/groups/" + groupId, body);
    }

    public void deleteRoleAssignment(String name) {
        call("DELETE", "/admin/role-assignments/" + name, null);
    }

    public void deleteIdentity(String name) {
        call("DELETE", "/admin/identities/" + name, null);
    }

    /**
     * The next {@code count} calls to {@code vault} doing {@code operation} (null: any) answer {@code status}
     * (0: none, only the delay) after {@code delayMs}; {@code retryAfterSeconds} 0 leaves it to the emulator's
     * default ({@code Retry-After: 1} for 429, none otherwise).
     */
    public void injectFault(
            String vault, String operation, int status, int count, int retryAfterSeconds, long delayMs) {
        ObjectNode body = Json.object().put("vault", vault).put("count", count);
        if (operation != null) {
            body.put("operation", operation);
        }
        if (status != 0) {
            body.put("status", status);
        }
        if (retryAfterSeconds > 0) {
            body.put("retryAfterSeconds", retryAfterSeconds);
        }
        if (delayMs > 0) {
            body.put("delayMs", delayMs);
        }
        call("POST", "/admin/faults", body);
    }

    public RequestCounts requests(String vault) {
        JsonNode node = call("GET", "/admin/requests?vault=" + URLEncoder.encode(vault, StandardCharsets.UTF_8), null);
        Map<String, Long> byOperation = new TreeMap<>();
        node.path("byOperation")
                .properties()
                .forEach(e -> byOperation.put(e.getKey(), e.getValue().asLong()));
        return new RequestCounts(node.path("vault").asText(), node.path("total").asLong(), byOperation);
    }

    public void resetRequests(String vault) {
        call("DELETE", "/admin/requests?vault=" + URLEncoder.encode(vault, StandardCharsets.UTF_8), null);
    }

    private static void putAttributes(ObjectNode body, Boolean enabled, Instant nbf, Instant exp) {
        if (enabled != null) {
            body.put("enabled", enabled);
        }
        if (nbf != null) {
            body.put("nbf", nbf.getEpochSecond());
        }
        if (exp != null) {
            body.put("exp", exp.getEpochSecond());
        }
    }

    private static VaultInfo vaultInfo(JsonNode node) {
        return new VaultInfo(
                node.path("vaultUrl").asText(),
                node.path("resourceId").asText(),
                node.path("recoveryLevel").asText(),
                node.path("tenantId").asText(),
                node.path("port").asInt());
    }

    private static ApplicationInfo applicationInfo(JsonNode node) {
        Map<String, String> principals = new TreeMap<>();
        node.path("servicePrincipals")
                .properties()
                .forEach(e -> principals.put(e.getKey(), e.getValue().asText()));
        return new ApplicationInfo(
                node.path("name").asText(),
                node.path("appId").asText(),
                node.path("tenantId").asText(),
                principals);
    }

    private static IdentityInfo identityInfo(JsonNode node) {
        return new IdentityInfo(
                node.path("name").asText(),
                node.path("resourceId").isNull()
                        ? null
                        : node.path("resourceId").asText(),
                node.path("principalId").asText(),
                node.path("clientId").asText(),
                node.path("tenantId").asText());
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new EmulatorAdminException(method + " " + path, response.statusCode(), response.body());
            }
            return response.body().isEmpty() ? Json.object() : Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }
}
