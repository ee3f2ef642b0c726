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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LocalIdentityDirectory(URI adminUrl, String tenantId) {
        this.adminUrl = adminUrl;
        this.tenantId = tenantId;
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

    /** Asks the directory itself, not the token endpoint, whose tokens outlive a deleted identity. */
    @Override
    public Optional<UserAssignedIdentity> findUserAssigned(String resourceId) {
        String name = resourceId.substring(resourceId.lastIndexOf('/') + 1);
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_-]{1,128}")) {
            return Optional.empty();
        }
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(identityUri(name)).GET());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode found = parse(response);
        if (!resourceId.equalsIgnoreCase(found.path("resourceId").asText())) {
            return Optional.empty();
        }
        return Optional.of(new UserAssignedIdentity(resourceId, found.path("principalId").asText(),
                found.path("clientId").asText(), found.path("tenantId").asText()));
    }

    private URI identityUri(String name) {
        return adminUrl.resolve("/admin/identities/" + name);
    }

    private JsonNode send(HttpRequest.Builder request) {
        return parse(exchange(request));
    }

    private static JsonNode parse(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("The identity directory answered HTTP " + response.statusCode());
        }
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("The identity directory answered with something that is not JSON", e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("The identity directory cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the identity directory", e);
        }
    }
}
