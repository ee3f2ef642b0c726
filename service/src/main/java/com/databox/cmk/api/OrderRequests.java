package com.databox.cmk.api;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.FederatedClientId;
import com.databox.cmk.order.IdentityTypes;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.unlockkey.DevicePasswords;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request bodies of the order routes and their checks; raw strings stop here. */
final class OrderRequests {
    private static final Pattern LOCATION = Pattern.compile("[a-z0-9]{2,40}");

    /** What a request's {@code autoRotation} means, in the OpenAPI document of every body that takes it. */
    static final String AUTO_ROTATION_MEANING = "As an order's answer shows it: true with a URL that names a version "
            + "uses that version and follows the key's newer ones, as a versionless URL does; without it, a URL with "
            + "a version names that version and follows no newer one.";

    private OrderRequests() {}

    /**
     * The answer's own members, which a body copied from an answer carries: ignored, as ARM ignores read-only
     * properties sent back (round-trip bug bash rt1 F1, 2026-12-07: refused as unknown).
     */
    @RegisterForReflection
    @JsonIgnoreProperties({"name", "stage", "stageStatus", "stageError", "etag", "createdAt", "updatedAt", "keyHealth"})
    record CreateOrderBody(
            @Schema(required = true) String location,
            IdentityBody identity,
            KeyEncryptionKeyBody keyEncryptionKey,

            @Schema(
                    description = "The customer's own device password (12-64 characters, at least one upper-case "
                            + "letter, one digit and one special character, none of I i l L o O 0); generated when absent. "
                            + "Only at creation.",
                    writeOnly = true)
            String devicePassword) {
        /**
         * The order to create, or with {@code replacing} the replacement, whose key is read first: the order's own
         * may be sent back, and a customer-managed key that cannot be read is none the order has, so the caller is
         * told where the key changes, not what it lacks.
         */
        NewOrder toNewOrder(boolean replacing) {
            KeyEncryptionKeyRequest replacementsKey =
                    replacing && keyEncryptionKey != null ? keyEncryptionKey.toReplacementsRequest() : null;
            if (location == null) {
                throw ServiceException.invalidRequest(
                        "'location' is required: an Azure region name such as 'westus' (lowercase letters and digits).",
                        "location");
            }
            if (!LOCATION.matcher(location).matches()) {
                throw ServiceException.invalidRequest(
                        "'location' must be an Azure region name such as 'westus': 2 to 40 lowercase letters and "
                                + "digits.",
                        "location");
            }
            if (devicePassword != null) {
                DevicePasswords.requireValid(devicePassword);
            }
            return new NewOrder(
                    location,
                    identity == null ? null : identity.toUpdate("identity"),
                    replacing || keyEncryptionKey == null ? replacementsKey : keyEncryptionKey.toRequest(),
                    keyEncryptionKey != null && !keyEncryptionKey.namesCustomerManagedKey(),
                    devicePassword == null ? null : devicePassword.toCharArray());
        }

        @Override
        public String toString() {
            return "CreateOrderBody[location=" + location + ", devicePassword="
                    + (devicePassword == null ? "absent" : "<redacted>") + "]";
        }
    }

    /** ARM's identity property: a null value in {@code userAssignedIdentities} detaches that identity. */
    @RegisterForReflection
    @JsonIgnoreProperties({"principalId", "tenantId"}) // the system-assigned identity's, as answered (rt1 F1)
    record IdentityBody(@Schema(required = true) String type, Map<String, Object> userAssignedIdentities) {
        IdentityUpdate toUpdate(String target) {
            if (type == null) {
                throw ServiceException.invalidRequest(
                        "'type' is required: None, SystemAssigned, UserAssigned or " + "SystemAssigned,UserAssigned.",
                        target + ".type");
            }
            IdentityTypes types = IdentityTypes.parse(type)
                    .orElseThrow(() -> ServiceException.invalidRequest(
                            "'" + type + "' is not an identity type: use " + IdentityTypes.ALLOWED + ".",
                            target + ".type"));
            boolean system = types.systemAssigned();
            boolean user = types.userAssigned();
            Set<UserAssignedIdentityId> attach = new HashSet<>();
            Set<UserAssignedIdentityId> detach = new HashSet<>();
            if (userAssignedIdentities != null) {
                if (!user && userAssignedIdentities.values().stream().anyMatch(v -> v != null)) {
                    throw ServiceException.invalidRequest(
                            "'userAssignedIdentities' is given but the identity type does not include UserAssigned.",
                            target + ".userAssignedIdentities");
                }
                userAssignedIdentities.forEach((id, value) -> {
                    UserAssignedIdentityId parsed =
                            UserAssignedIdentityId.parse(id, target + ".userAssignedIdentities");
                    if (value == null) {
                        detach.add(parsed);
                    } else if (value instanceof Map<?, ?>) {
                        attach.add(parsed);
                    } else {
                        throw ServiceException.invalidRequest(
                                "Each user-assigned identity maps to {} (attach) or null " + "(detach).",
                                target + ".userAssignedIdentities");
                    }
                });
            }
            return new IdentityUpdate(system, user, attach, detach);
        }
    }

    /** {@code kekType} and {@code identityProperties.type} are read in any case, as ARM reads its enum values. */
    @RegisterForReflection
    record KeyEncryptionKeyBody(
            String kekType,
            String kekUrl,
            @JsonProperty("kekVaultResourceID") String kekVaultResourceId,
            IdentityPropertiesBody identityProperties,

            @Schema(description = AUTO_ROTATION_MEANING) Boolean autoRotation) {
        private static final String AUTO_ROTATION = "keyEncryptionKey.autoRotation";

        boolean namesCustomerManagedKey() {
            return "CustomerManaged".equalsIgnoreCase(kekType);
        }

        /** As {@link #toRequest()}; a customer-managed key it cannot read is refused as one the order does not have. */
        KeyEncryptionKeyRequest toReplacementsRequest() {
            try {
                return toRequest();
            } catch (ServiceException unreadable) {
                if (namesCustomerManagedKey()) {
                    throw OrderService.keyChangesOnlyThroughEncryption();
                }
                throw unreadable;
            }
        }

        KeyEncryptionKeyRequest toRequest() {
            if (kekType == null || "MicrosoftManaged".equalsIgnoreCase(kekType)) {
                if (kekUrl != null || identityProperties != null) {
                    throw ServiceException.invalidRequest(
                            "A Microsoft-managed key takes no kekUrl or identityProperties.", "keyEncryptionKey");
                }
                if (Boolean.TRUE.equals(autoRotation)) {
                    throw ServiceException.invalidRequest(
                            "A Microsoft-managed key follows no versions of a customer's key: 'autoRotation' is "
                                    + "false or absent.",
                            AUTO_ROTATION);
                }
                return null;
            }
            if (!namesCustomerManagedKey()) {
                throw ServiceException.invalidRequest(
                        "'kekType' must be MicrosoftManaged or CustomerManaged.", "keyEncryptionKey.kekType");
            }
            if (identityProperties == null) {
                throw ServiceException.invalidRequest(
                        "'identityProperties' is required for a customer-managed key.",
                        "keyEncryptionKey.identityProperties");
            }
            if (kekUrl == null || kekUrl.isBlank()) {
                throw ServiceException.invalidRequest(
                        "'kekUrl' is required for a customer-managed key.", "keyEncryptionKey.kekUrl");
            }
            RequestedKeyUrl url = RequestedKeyUrl.read(kekUrl);
            return new KeyEncryptionKeyRequest(
                    url,
                    VaultResourceId.parseOptional(kekVaultResourceId),
                    identityProperties.toKeyIdentity(),
                    followsNewVersions(url, autoRotation, AUTO_ROTATION));
        }
    }

    /**
     * Whether a body with the answer's {@code autoRotation} asks to follow the key's new versions: {@code true}
     * with a URL that names a version, as the answer of an order that follows them shows it, follows them from
     * that version; a versionless URL follows them anyway, and {@code false} with one is a contradiction. Without
     * it, a URL with a version names that version and follows none.
     */
    static boolean followsNewVersions(RequestedKeyUrl kekUrl, Boolean autoRotation, String target) {
        if (autoRotation == null) {
            return false;
        }
        // A URL that is no key URL is answered by its own check, and validate reports it as a finding.
        if (!autoRotation && kekUrl.namesNoVersion()) {
            throw ServiceException.invalidRequest(
                    "'autoRotation' is false but 'kekUrl' names no version: a versionless URL follows the key's "
                            + "new versions.",
                    target);
        }
        return autoRotation;
    }

    @RegisterForReflection
    record IdentityPropertiesBody(
            @Schema(required = true) String type,
            UserAssignedRefBody userAssigned,

            @Schema(
                    description = "The client ID of a multi-tenant application that trusts the user-assigned identity "
                            + "(federated identity credential) and is granted the key in the key vault's tenant.")
            String federatedIdentityClientId) {
        private static final String FEDERATED = "identityProperties.federatedIdentityClientId";

        KeyIdentity toKeyIdentity() {
            FederatedClientId federated = FederatedClientId.parseOptional(federatedIdentityClientId, FEDERATED);
            if ("SystemAssigned".equalsIgnoreCase(type)) {
                return KeyIdentity.systemAssigned(federated, FEDERATED);
            }
            if ("UserAssigned".equalsIgnoreCase(type)) {
                if (userAssigned == null || userAssigned.resourceId() == null) {
                    throw ServiceException.invalidRequest(
                            "'identityProperties.userAssigned.resourceId' is required "
                                    + "for a user-assigned identity.",
                            "identityProperties.userAssigned.resourceId");
                }
                return KeyIdentity.userAssigned(
                        UserAssignedIdentityId.parse(
                                userAssigned.resourceId(), "identityProperties.userAssigned.resourceId"),
                        federated);
            }
            throw ServiceException.invalidRequest(
                    "'identityProperties.type' must be SystemAssigned or UserAssigned.", "identityProperties.type");
        }
    }

    @RegisterForReflection
    record UserAssignedRefBody(String resourceId) {}

    /** {@code POST …/mitigate}: as ARM's {@code mitigate} action of a Data Box job. */
    @RegisterForReflection
    record MitigateBody(
            @Schema(
                    required = true,
                    enumeration = {"Resume"})
            String customerResolutionCode) {}

    @RegisterForReflection
    record StageBody(@Schema(required = true) String stage) {
        Stage toStage() {
            return Arrays.stream(Stage.values())
                    .filter(s -> s.name().equalsIgnoreCase(stage))
                    .findFirst()
                    .orElseThrow(() -> ServiceException.invalidRequest(
                            "'stage' must be one of " + Arrays.toString(Stage.values()) + ".", "stage"));
        }
    }
}
