package com.databox.cmk.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IdentityDirectory;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.sweep.AppIdentities;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Managed identities in Azure Resource Manager. An order's system-assigned identity is a
 * user-assigned identity of the service's own, in its resource group, assigned to the function app
 * so that the platform's managed-identity endpoint can mint its tokens.
 */
public final class ArmIdentityDirectory implements IdentityDirectory, AppIdentities {
    static final String IDENTITY_API = "2023-01-31";
    static final String SITES_API = "2023-12-01";
    /** The tag on every identity the service creates as an order's system-assigned one. */
    static final String ORDER_TAG = "databox-order";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Logger LOG = Logger.getLogger(ArmIdentityDirectory.class.getName());

    private final ArmClient arm;
    private final ArmSettings settings;
    private final SecureRandom random = new SecureRandom();

    /** Each call with its own deadline, as outside a request. */
    public ArmIdentityDirectory(ArmSettings settings, TokenCredential appCredential, HttpClient httpClient) {
        this(settings, appCredential, httpClient, Optional::empty);
    }

    /** @param requestDeadline the deadline of the request being served on the calling thread, if any */
    public ArmIdentityDirectory(
            ArmSettings settings,
            TokenCredential appCredential,
            HttpClient httpClient,
            Supplier<Optional<Instant>> requestDeadline) {
        this.settings = settings;
        this.arm = new ArmClient(settings, appCredential, httpClient, requestDeadline);
    }

    @Override
    public UserAssignedIdentityId newSystemAssignedId(OrderName order) {
        return new UserAssignedIdentityId("/subscriptions/" + settings.subscriptionId() + "/resourceGroups/"
                + settings.resourceGroup() + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/databox-"
                + order.value() + "-" + randomHex());
    }

    @Override
    public SystemAssignedIdentity createSystemAssigned(OrderName order, UserAssignedIdentityId id) {
        ObjectNode body = NODES.objectNode().put("location", settings.location());
        body.putObject("tags").put(ORDER_TAG, order.value());
        JsonNode properties = arm.send(HttpMethod.PUT, id.value(), IDENTITY_API, body, Set.of(200, 201))
                .body()
                .path("properties");
        try {
            assignToFunctionApp(id, true);
        } catch (RuntimeException e) {
            try {
                deleteIdentity(id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new SystemAssignedIdentity(
                properties.path("principalId").asText(),
                properties.path("tenantId").asText(),
                id);
    }

    @Override
    public void deleteSystemAssigned(SystemAssignedIdentity identity) {
        UserAssignedIdentityId id = identity.resourceId();
        if (id == null) {
            throw new IllegalArgumentException("No managed identity resource ID");
        }
        assignToFunctionApp(id, false);
        deleteIdentity(id);
    }

    /** The caller's own permission to assign identities, asked of the same ARM. */
    public ArmIdentityUse identityUse() {
        return new ArmIdentityUse(arm);
    }

    /** Reads ARM, not the token endpoint: tokens are cached and outlive a deleted identity. */
    @Override
    public Optional<UserAssignedIdentity> findUserAssigned(UserAssignedIdentityId id) {
        ArmClient.Answer answer =
                arm.send(HttpMethod.GET, id.value(), IDENTITY_API, null, Set.of(200, 400, 401, 403, 404));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (answer.status() != 200) {
            throw refusedToRead(id.value(), answer, HttpMethod.GET);
        }
        JsonNode properties = answer.body().path("properties");
        // The service tags the identities it makes for orders (createSystemAssigned); tags are case-insensitive.
        boolean serviceCreated = false;
        for (var tag : answer.body().path("tags").properties()) {
            serviceCreated |= ORDER_TAG.equalsIgnoreCase(tag.getKey());
        }
        return Optional.of(new UserAssignedIdentity(
                id,
                properties.path("principalId").asText(),
                properties.path("clientId").asText(),
                properties.path("tenantId").asText(),
                serviceCreated));
    }

    /**
     * ARM refusing the service the identity (its subscription moved to another tenant, 401
     * InvalidAuthenticationTokenTenant; the service's read on it taken away, 403 AuthorizationFailed): the
     * customer's to fix, neither an outage nor the identity's absence, so no order is found to have lost
     * it; logged for the operator too. Any other refusal is the service's own (InternalError).
     */
    private static RuntimeException refusedToRead(String resourceId, ArmClient.Answer answer, HttpMethod method) {
        String code = answer.body().path("error").path("code").asText("no error code");
        boolean customers = answer.status() == 403 && "AuthorizationFailed".equalsIgnoreCase(code)
                || answer.status() == 401 && "InvalidAuthenticationTokenTenant".equalsIgnoreCase(code);
        if (!customers) {
            // The service's own fault (its token, an api-version ARM no longer takes): not the customer's to fix.
            return new ArmException(
                    answer.status(),
                    "Azure Resource Manager answered HTTP " + answer.status() + " to " + method + " " + resourceId
                            + ": " + code);
        }
        LOG.warning(() -> "Azure Resource Manager answered HTTP " + answer.status() + " (" + code
                + ") to the service's read of " + resourceId);
        return new ServiceException(
                ErrorCode.LinkedAuthorizationFailed,
                "Azure Resource Manager refused the service access to the user-assigned identity " + resourceId
                        + " (HTTP " + answer.status() + ").",
                "identityProperties.userAssigned.resourceId",
                null,
                null,
                "Give the service read access to the identity again (for example Reader on its resource group), or, "
                        + "if its subscription moved to another tenant, move it back or use an identity of the order's "
                        + "tenant.");
    }

    /**
     * Assigns the customer's identity to the function app (idempotent). It stays assigned when an
     * order detaches it, since other orders may use it too.
     */
    @Override
    public void makeUsable(UserAssignedIdentity identity) {
        assignToFunctionApp(identity.resourceId(), true);
    }

    @Override
    public Set<UserAssignedIdentityId> assigned() {
        JsonNode site = arm.send(HttpMethod.GET, settings.functionAppResourceId(), SITES_API, null, Set.of(200))
                .body();
        Set<UserAssignedIdentityId> assigned = new HashSet<>();
        for (var identity : site.path("identity").path("userAssignedIdentities").properties()) {
            if (UserAssignedIdentityId.isWellFormed(identity.getKey())) {
                assigned.add(new UserAssignedIdentityId(identity.getKey()));
            }
        }
        return assigned;
    }

    @Override
    public boolean assign(UserAssignedIdentityId id) {
        if (findUserAssigned(id).isEmpty()) {
            return false;
        }
        assignToFunctionApp(id, true);
        return true;
    }

    @Override
    public void unassign(UserAssignedIdentityId id) {
        assignToFunctionApp(id, false);
    }

    @Override
    public void delete(UserAssignedIdentityId id) {
        deleteIdentity(id);
    }

    /** ARM merges user-assigned identities on PATCH: {@code {}} adds one, {@code null} removes it. */
    private void assignToFunctionApp(UserAssignedIdentityId id, boolean assign) {
        ObjectNode body = NODES.objectNode();
        ObjectNode identity = body.putObject("identity").put("type", "SystemAssigned, UserAssigned");
        ObjectNode assigned = identity.putObject("userAssignedIdentities");
        if (assign) {
            assigned.putObject(id.value());
        } else {
            assigned.putNull(id.value());
        }
        arm.send(HttpMethod.PATCH, settings.functionAppResourceId(), SITES_API, body, Set.of(200));
    }

    private void deleteIdentity(UserAssignedIdentityId id) {
        arm.send(HttpMethod.DELETE, id.value(), IDENTITY_API, null, Set.of(200, 204, 404));
    }

    /**
     * 128 random bits: order names are unique per tenant only, so every tenant's "order-1" draws its
     * identity's name from the same space, and a name met twice would be a PUT updating another order's
     * identity (ARM answers it 200), which both orders would then share (with 32 bits, about even odds
     * once some 77,000 orders had the same name).
     */
    private String randomHex() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
