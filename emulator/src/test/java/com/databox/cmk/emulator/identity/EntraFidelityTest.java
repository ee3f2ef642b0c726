package com.databox.cmk.emulator.identity;

import static com.databox.cmk.emulator.identity.Federation.VAULT;
import static com.databox.cmk.emulator.identity.Federation.assertionOf;
import static com.databox.cmk.emulator.identity.Federation.claims;
import static com.databox.cmk.emulator.identity.Federation.exchange;
import static com.databox.cmk.emulator.identity.Federation.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bug bash bb85: the managed-identity tokens and the federated exchange against what Entra ID documents
 * ("Configure an application to trust a managed identity": issuer https://login.microsoftonline.com/{tenant}/v2.0,
 * subject the identity's principal ID, app and identity in the same tenant, a user-assigned identity).
 */
class EntraFidelityTest {

    private static String v2Issuer(String tenant) {
        return "https://login.microsoftonline.com/" + tenant + "/v2.0";
    }

    @Test
    void aManagedIdentitysExchangeTokenHasEntraIdsV2Issuer() {
        String home = EmulatorTestSupport.shared().defaultTenantId();
        IdentityInfo identity = EmulatorTestSupport.admin().createIdentity(TestNames.unique("uai-bb85"), null);
        JsonNode claims = claims(assertionOf(identity).get());
        assertEquals(v2Issuer(home), claims.path("iss").asText(), claims.toString());
        assertEquals("2.0", claims.path("ver").asText(), claims.toString());
        assertEquals(identity.clientId(), claims.path("azp").asText(), claims.toString());
        assertFalse(claims.has("appid"), claims.toString());
    }

    @Test
    void aManagedIdentitysVaultTokenKeepsTheV1Issuer() {
        String home = EmulatorTestSupport.shared().defaultTenantId();
        IdentityInfo identity = EmulatorTestSupport.admin().createIdentity(TestNames.unique("uai-bb85"), null);
        JsonNode claims = claims(new ManagedIdentityCredentialBuilder()
                .resourceId(identity.resourceId())
                .build()
                .getTokenSync(VAULT)
                .getToken());
        assertEquals("https://sts.windows.net/" + home + "/", claims.path("iss").asText(), claims.toString());
        assertEquals(identity.clientId(), claims.path("appid").asText(), claims.toString());
    }

    @Test
    void aFederatedCredentialWithTheDocumentedIssuerIsTrusted() {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        String home = EmulatorTestSupport.shared().defaultTenantId();
        String customer = UUID.randomUUID().toString();
        IdentityInfo identity = admin.createIdentity(TestNames.unique("uai-bb85"), null);
        ApplicationInfo application =
                admin.createApplication(TestNames.unique("app"), home, v2Issuer(home), identity.principalId());
        admin.consentApplication(application.name(), customer);
        String token = exchange(customer, application.appId(), assertionOf(identity))
                .getTokenSync(VAULT)
                .getToken();
        assertEquals(customer, claims(token).path("tid").asText());
    }

    @Test
    void aFederatedCredentialNamingTheV1IssuerIsRefused() {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        String home = EmulatorTestSupport.shared().defaultTenantId();
        String customer = UUID.randomUUID().toString();
        IdentityInfo identity = admin.createIdentity(TestNames.unique("uai-bb85"), null);
        ApplicationInfo application = admin.createApplication(
                TestNames.unique("app"), home, "https://sts.windows.net/" + home + "/", identity.principalId());
        assertExchangeRefused(application, customer, identity, "AADSTS700227");
    }

    @Test
    void anApplicationTrustingAnIdentityOfAnotherTenantIsRefused() {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        String home = EmulatorTestSupport.shared().defaultTenantId();
        String identityTenant = UUID.randomUUID().toString();
        String customer = UUID.randomUUID().toString();
        IdentityInfo identity = admin.createIdentity(TestNames.unique("uai-bb85"), identityTenant);
        ApplicationInfo application = admin.createApplication(
                TestNames.unique("app"), home, v2Issuer(identityTenant), identity.principalId());
        assertExchangeRefused(application, customer, identity, "AADSTS700236");
    }

    /** Consented in {@code customer}, the application gets no token there for the identity's assertion. */
    private static void assertExchangeRefused(
            ApplicationInfo application, String customer, IdentityInfo identity, String code) {
        EmulatorTestSupport.admin().consentApplication(application.name(), customer);
        RuntimeException refused = assertThrows(
                RuntimeException.class,
                () -> exchange(customer, application.appId(), assertionOf(identity))
                        .getTokenSync(VAULT));
        assertTrue(messages(refused).contains(code), messages(refused));
    }

    @Test
    void aResourceEntraIdDoesNotKnowGetsNoToken() {
        EmulatorTestSupport.shared();
        IdentityInfo identity = EmulatorTestSupport.admin().createIdentity(TestNames.unique("uai-bb85"), null);
        RuntimeException refused = assertThrows(
                RuntimeException.class,
                () -> new ManagedIdentityCredentialBuilder()
                        .resourceId(identity.resourceId())
                        .build()
                        .getTokenSync(new TokenRequestContext().addScopes("https://no-such-api.example/.default")));
        assertTrue(messages(refused).contains("AADSTS500011"), messages(refused));
    }

    @Test
    void theResourcesTheServiceAsksForGetTokens() {
        EmulatorTestSupport.shared();
        TokenCredential system = new ManagedIdentityCredentialBuilder().build();
        for (String scope : new String[] {
            "https://vault.azure.net/.default",
            "https://management.azure.com/.default",
            "https://management.core.windows.net//.default",
            "https://storage.azure.com/.default",
            "api://AzureADTokenExchange/.default"
        }) {
            assertEquals(
                    scope.replaceFirst("/\\.default$", ""),
                    claims(system.getTokenSync(new TokenRequestContext().addScopes(scope))
                                    .getToken())
                            .path("aud")
                            .asText());
        }
    }

    @Test
    void theSystemAssignedIdentitysTokenNamesTheFunctionApp() {
        EmulatorTestSupport.shared();
        JsonNode claims = claims(new ManagedIdentityCredentialBuilder()
                .build()
                .getTokenSync(VAULT)
                .getToken());
        assertEquals(
                FunctionAppIdentities.resourceId(), claims.path("xms_mirid").asText(), claims.toString());
        assertEquals("app", claims.path("idtyp").asText(), claims.toString());
        assertEquals("1.0", claims.path("ver").asText(), claims.toString());
        assertEquals("2", claims.path("appidacr").asText(), claims.toString());
        assertEquals(claims.path("iss").asText(), claims.path("idp").asText(), claims.toString());
    }
}
