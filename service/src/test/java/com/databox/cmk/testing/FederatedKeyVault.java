package com.databox.cmk.testing;

import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.entra.TokenIssuer;
import com.databox.cmk.emulator.identity.ApplicationInfo;
import com.databox.cmk.emulator.identity.IdentityInfo;
import java.util.Map;
import java.util.UUID;

/**
 * A key kept in the customer's own tenant (B), reached across tenants: a user-assigned identity of the service's
 * tenant, the customer's vault in tenant B, and a multi-tenant application that trusts the identity
 * ({@code federatedIdentityClientId}), consented and granted in tenant B by {@link #consentAndGrant}.
 */
public record FederatedKeyVault(
        IdentityInfo identity, String tenantB, CustomerKeyVault vault, ApplicationInfo application) {

    public static FederatedKeyVault create() {
        EmulatorAdminClient admin = CustomerKeyVault.admin();
        String serviceTenant = CustomerKeyVault.defaultTenantId();
        IdentityInfo identity = CustomerKeyVault.newIdentity();
        String tenantB = UUID.randomUUID().toString();
        // The vault lists the identity too, but it belongs to tenant B: the identity's own token is refused.
        CustomerKeyVault vault = CustomerKeyVault.create(identity, tenantB, true, true, false);
        ApplicationInfo application = admin.createApplication(
                CustomerKeyVault.randomName("app"),
                serviceTenant,
                TokenIssuer.issuer(serviceTenant),
                identity.principalId());
        return new FederatedKeyVault(identity, tenantB, vault, application);
    }

    /** The identity properties that reach the key through the application. */
    public Map<String, Object> federated() {
        return CmkOrder.userAssigned(identity.resourceId(), application.appId());
    }

    public Map<String, Object> enableBody(Map<String, Object> identityProperties) {
        return CmkOrder.enableBody(vault.keyUrl(), vault.resourceId(), identityProperties);
    }

    /** Consent in tenant B and the key permissions for the application's service principal there. */
    public String consentAndGrant(String... permissions) {
        String principal = CustomerKeyVault.admin().consentApplication(application.name(), tenantB);
        if (permissions.length > 0) {
            vault.grant(principal, permissions);
        }
        return principal;
    }
}
