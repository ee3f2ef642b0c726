package com.databox.cmk.emulator.identity;

import com.databox.cmk.emulator.entra.FederatedTokenHandler;
import com.databox.cmk.emulator.entra.TokenIssuer;
import com.databox.cmk.emulator.entra.TokenVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Who may get a token through a client assertion ({@link FederatedTokenHandler}): the app's own identity
 * and the identities it may use, as the managed-identity endpoint decides, each standing in for an
 * identity with a federated credential that trusts the external issuer (workload identity federation);
 * and multi-tenant applications ({@link Applications}) in the tenants where they have a service principal,
 * for an assertion that is a token the emulator issued to a managed identity their federated credentials
 * trust (cross-tenant customer-managed keys). The application's token names its service principal of that
 * tenant ({@code oid}) and the tenant ({@code tid}), as Entra ID's client-credentials tokens do.
 */
public final class FederatedIdentities implements FederatedTokenHandler.Identities {
    private final Directory directory;
    private final FunctionAppIdentities functionApp;
    private final Applications applications;
    private final TokenIssuer issuer;
    private final TokenVerifier verifier;

    public FederatedIdentities(
            Directory directory,
            FunctionAppIdentities functionApp,
            Applications applications,
            TokenIssuer issuer,
            TokenVerifier verifier) {
        this.directory = directory;
        this.functionApp = functionApp;
        this.applications = applications;
        this.issuer = issuer;
        this.verifier = verifier;
    }

    @Override
    public Optional<TokenIssuer.Token> mint(String tenantId, String clientId, String resource, String assertion) {
        Optional<Applications.Application> application = applications.byAppId(clientId);
        if (application.isPresent()) {
            return mintForApplication(application.get(), tenantId, resource, assertion);
        }
        Optional<JsonNode> managedIdentityToken = verifier.signedClaims(assertion);
        if (managedIdentityToken.isPresent()) {
            // A managed identity's own token, presented for another identity: no managed identity here has a
            // federated credential, so nothing trusts it (bug bash of 2026-12-06, security F4: any managed
            // identity's client ID named as an order's federatedIdentityClientId gave that identity's token).
            throw noMatchingFederatedCredential(managedIdentityToken.get());
        }
        IdentityInfo system = directory.systemIdentity();
        Optional<IdentityInfo> identity = system.clientId().equalsIgnoreCase(clientId)
                ? Optional.of(system)
                : directory.byClientId(clientId).filter(functionApp::mayMint);
        return identity.filter(id -> id.tenantId().equalsIgnoreCase(tenantId))
                .map(id -> issuer.issue(resource, id.tenantId(), id.principalId(), id.clientId(), id.resourceId()));
    }

    private Optional<TokenIssuer.Token> mintForApplication(
            Applications.Application application, String tenantId, String resource, String assertion) {
        Optional<String> principal = application.servicePrincipalIn(tenantId);
        if (principal.isEmpty()) {
            return Optional.empty();
        }
        JsonNode claims = verifier.signedClaims(assertion)
                .filter(verifier::withinLifetime)
                .orElseThrow(
                        () -> new FederatedTokenHandler.Refused(
                                "AADSTS700213: The client assertion's signature could not be verified with the issuer's keys."));
        String assertionTenant = claims.path("tid").asText("");
        if (!assertionTenant.equalsIgnoreCase(application.homeTenantId())) {
            // "The Microsoft Entra App and the Managed Identity must belong to the same tenant"
            // (learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity).
            throw new FederatedTokenHandler.Refused("AADSTS700236: Entra ID tokens issued by issuer '"
                    + claims.path("iss").asText("")
                    + "' may not be used for federated identity credential flows for applications or managed"
                    + " identities registered in this tenant.");
        }
        String subject = claims.path("sub").asText("");
        if (!application.trusts(claims.path("iss").asText(""), subject)) {
            String v1Issuer = TokenIssuer.v1Issuer(assertionTenant);
            if (application.trusts(v1Issuer, subject)) {
                // Entra ID refuses a federated credential naming the v1.0 issuer for a managed identity's token
                // (bug bash bb85 F1; github.com/arsenvlad/entra-cross-tenant-app-fic-managed-identity).
                throw new FederatedTokenHandler.Refused("AADSTS700227: The federated identity credential's issuer '"
                        + v1Issuer + "' is not accepted for a managed identity's token; its issuer is '"
                        + TokenIssuer.issuer(assertionTenant) + "'.");
            }
            throw noMatchingFederatedCredential(claims);
        }
        return Optional.of(issuer.issue(resource, tenantId, principal.get(), application.appId(), null));
    }

    private static FederatedTokenHandler.Refused noMatchingFederatedCredential(JsonNode assertionClaims) {
        return new FederatedTokenHandler.Refused(
                "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '"
                        + assertionClaims.path("iss").asText("") + "'. Assertion Subject: '"
                        + assertionClaims.path("sub").asText("") + "'. Assertion Audience: '"
                        + FederatedTokenHandler.EXCHANGE_AUDIENCE + "'.");
    }
}
