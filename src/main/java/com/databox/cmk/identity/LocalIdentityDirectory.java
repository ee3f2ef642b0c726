package com.databox.cmk.identity;

import com.databox.cmk.order.IdentityDirectory;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The identity directory of the local stack: the emulator's admin API, which stands in for
 * ARM's managed-identity API (see EMULATOR.md). Each order's system-assigned identity is a
 * managed identity of its own, created and deleted with it.
 */
public final class LocalIdentityDirectory implements IdentityDirectory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI adminUrl;
    private final String tenantId;
    private final TokenIdentityResolver resolver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LocalIdentityDirectory(URI adminUrl, String tenantId, TokenIdentityResolver resolver) {
        this.adminUrl = adminUrl;
        this.tenantId = tenantId;
        this.resolver = resolver;
    }

    @Override
    public SystemAssignedIdentity createSystemAssigned(OrderName order) {
        String name = "order-" + order.value().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID();
        String body = JSON.createObjectNode().put("tenantId", tenantId).toString();
        JsonNode created = send(HttpRequest.newBuilder(identityUri(name))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        return new SystemAssignedIdentity(created.path("principalId").asText(), created.path("tenantId").asText(),
                created.path("resourceId").asText());
    }

    @Override
    public void deleteSystemAssigned(SystemAssignedIdentity identity) {
        String resourceId = identity.resourceId();
        send(HttpRequest.newBuilder(identityUri(resourceId.substring(resourceId.lastIndexOf('/') + 1))).DELETE());
    }

    @Override
    public Optional<UserAssignedIdentity> findUserAssigned(String resourceId) {
        return resolver.resolve(resourceId);
    }

    private URI identityUri(String name) {
        return adminUrl.resolve("/admin/identities/" + name);
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("The identity directory answered HTTP " + response.statusCode());
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("The identity directory cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the identity directory", e);
        }
    }
}
