package com.databox.cmk.api;

import com.databox.cmk.order.KekWait;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The order resource of API.md. It never carries the unlock key, plain or wrapped. */
@RegisterForReflection
public record OrderJson(
        String name,
        String location,
        String stage,
        String stageStatus,
        @JsonInclude(JsonInclude.Include.NON_NULL) StageErrorJson stageError,
        String etag,
        Instant createdAt,
        Instant updatedAt,
        IdentityJson identity,
        KeyEncryptionKeyJson keyEncryptionKey,
        KeyHealthJson keyHealth) {

    /** Why the order waits for the customer ({@code stageStatus} {@code WaitingForCustomerActionForKek}). */
    @RegisterForReflection
    public record StageErrorJson(String code, String message, String resolution, String waitingFor, Instant since) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IdentityJson(
            String type, String principalId, String tenantId, Map<String, UserAssignedJson> userAssignedIdentities) {}

    @RegisterForReflection
    public record UserAssignedJson(String principalId, String clientId) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyEncryptionKeyJson(
            String kekType,
            String kekUrl,
            @JsonProperty("kekVaultResourceID") String kekVaultResourceId,
            IdentityPropertiesJson identityProperties,
            Boolean autoRotation) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IdentityPropertiesJson(
            String type, UserAssignedRefJson userAssigned, String federatedIdentityClientId) {}

    @RegisterForReflection
    public record UserAssignedRefJson(String resourceId) {}

    @RegisterForReflection
    public record KeyHealthJson(
            String status,
            @Schema(nullable = true) String errorCode,
            @Schema(nullable = true) String message,
            @Schema(nullable = true) Instant lastCheckedAt) {}

    static OrderJson of(Order order) {
        KekWait wait = order.kekWait();
        StageErrorJson stageError = wait == null
                ? null
                : new StageErrorJson(
                        wait.errorCode().name(),
                        wait.message(),
                        wait.resolutionText(),
                        wait.target().name(),
                        wait.since());
        return new OrderJson(
                order.name().value(),
                order.location(),
                order.stage().name(),
                order.stageStatus(),
                stageError,
                order.etag(),
                order.createdAt(),
                order.updatedAt(),
                identity(order.identity()),
                kek(order.protection()),
                health(order.keyHealth()));
    }

    private static IdentityJson identity(OrderIdentity identity) {
        Map<String, UserAssignedJson> users = new LinkedHashMap<>();
        identity.userAssigned()
                .forEach(
                        (id, user) -> users.put(id.value(), new UserAssignedJson(user.principalId(), user.clientId())));
        var system = identity.systemAssigned();
        return new IdentityJson(
                identity.type(),
                system == null ? null : system.principalId(),
                system == null ? null : system.tenantId(),
                users.isEmpty() ? null : users);
    }

    private static KeyEncryptionKeyJson kek(KeyProtection protection) {
        return switch (protection) {
            // API.md: only the customer's key, its vault and identity are absent (before 2026-12-07, autoRotation too).
            case KeyProtection.MicrosoftManaged microsoft ->
                new KeyEncryptionKeyJson(microsoft.kekType(), null, null, null, false);
            case KeyProtection.CustomerManaged customer ->
                new KeyEncryptionKeyJson(
                        customer.kekType(),
                        customer.keyUrl().keyId(),
                        customer.vault() == null ? null : customer.vault().value(),
                        identityProperties(customer.keyIdentity()),
                        customer.autoRotation());
        };
    }

    private static IdentityPropertiesJson identityProperties(KeyIdentity identity) {
        return switch (identity) {
            case KeyIdentity.SystemAssigned system -> new IdentityPropertiesJson(system.type(), null, null);
            case KeyIdentity.UserAssigned user ->
                new IdentityPropertiesJson(
                        user.type(),
                        new UserAssignedRefJson(user.id().value()),
                        user.federated() ? user.federatedClientId().value() : null);
        };
    }

    private static KeyHealthJson health(KeyHealth health) {
        return new KeyHealthJson(
                health.status().name(),
                health.errorCode() == null ? null : health.errorCode().name(),
                health.message(),
                health.lastCheckedAt());
    }
}
