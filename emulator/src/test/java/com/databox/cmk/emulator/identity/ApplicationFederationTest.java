package com.databox.cmk.emulator.identity;

import static com.databox.cmk.emulator.identity.Federation.VAULT;
import static com.databox.cmk.emulator.identity.Federation.assertionOf;
import static com.databox.cmk.emulator.identity.Federation.claims;
import static com.databox.cmk.emulator.identity.Federation.exchange;
import static com.databox.cmk.emulator.identity.Federation.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.TokenCredential;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import com.databox.cmk.emulator.entra.TokenIssuer;
import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.keyvault.VaultInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A multi-tenant application reached by exchanging a managed identity's token (Azure Storage's
 * cross-tenant customer-managed keys): its token in a tenant where it has a service principal, names
 * that service principal, and opens a vault of that tenant which grants it. (azure-identity wraps Entra
 * ID's refusal, MSAL's exception, in a plain RuntimeException.)
 */
class ApplicationFederationTest {

    @Test
    void theApplicationGetsATokenOfItsServicePrincipalInAConsentingTenantAndOpensItsVault() {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        String home = EmulatorTestSupport.shared().defaultTenantId();
        String customer = UUID.randomUUID().toString();
        IdentityInfo identity = admin.createIdentity(TestNames.unique("uai-fed"), null);
        ApplicationInfo application = admin.createApplication(
                TestNames.unique("app"), home, TokenIssuer.issuer(home), identity.principalId());
        Supplier<String> assertion = assertionOf(identity);

        RuntimeException notConsented = assertThrows(
                RuntimeException.class,
                () -> exchange(customer, application.appId(), assertion).getTokenSync(VAULT));
        assertTrue(messages(notConsented).contains("AADSTS700016"), messages(notConsented));

        String principal = admin.consentApplication(application.name(), customer);
        JsonNode claims = claims(exchange(customer, application.appId(), assertion)
                .getTokenSync(VAULT)
                .getToken());
        assertEquals(customer, claims.path("tid").asText());
        assertEquals(principal, claims.path("oid").asText());
        assertEquals(application.appId(), claims.path("appid").asText());

        String vaultName = TestNames.unique("vfed");
        VaultInfo vault = admin.createVault(vaultName, customer, true, true, 90, false);
        String kid = admin.createKey(vaultName, "k", "RSA", 2048);
        admin.grant(vaultName, principal, "get");
        TokenCredential credential = exchange(customer, application.appId(), assertion);
        assertNotNull(EmulatorTestSupport.keyClient(vault.vaultUrl(), credential)
                .getKey("k", kid.substring(kid.lastIndexOf('/') + 1)));
    }

    @Test
    void anAssertionNoFederatedCredentialTrustsIsRefused() {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        String home = EmulatorTestSupport.shared().defaultTenantId();
        IdentityInfo trusted = admin.createIdentity(TestNames.unique("uai-fed"), null);
        IdentityInfo other = admin.createIdentity(TestNames.unique("uai-fed"), null);
        ApplicationInfo application =
                admin.createApplication(TestNames.unique("app"), home, TokenIssuer.issuer(home), trusted.principalId());

        RuntimeException refused = assertThrows(
                RuntimeException.class,
                () -> exchange(home, application.appId(), assertionOf(other)).getTokenSync(VAULT));
        assertTrue(messages(refused).contains("AADSTS70021"), messages(refused));
        // A self-made token with the trusted subject: not signed by the issuer, so not trusted either.
        String forged = Json.base64Url(Json.bytes(Json.object().put("alg", "none"))) + "."
                + Json.base64Url(Json.bytes(Json.object()
                        .put("aud", "api://AzureADTokenExchange")
                        .put("iss", TokenIssuer.issuer(home))
                        .put("sub", trusted.principalId())
                        .put("exp", java.time.Instant.now().plusSeconds(600).getEpochSecond())))
                + ".c2lnbmF0dXJl";
        RuntimeException unsigned = assertThrows(
                RuntimeException.class,
                () -> exchange(home, application.appId(), () -> forged).getTokenSync(VAULT));
        assertTrue(messages(unsigned).contains("AADSTS700213"), messages(unsigned));
    }

    /**
     * A managed identity's token presented for another managed identity (an order's federatedIdentityClientId
     * naming an identity's client ID, not an application's): no federated credential of that identity trusts
     * it. The emulator minted the named identity's token (bug bash of 2026-12-06, security F4).
     */
    @Test
    void aManagedIdentitysTokenGetsNoOtherManagedIdentitysToken() {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        String home = EmulatorTestSupport.shared().defaultTenantId();
        IdentityInfo presented = admin.createIdentity(TestNames.unique("uai-fed"), null);
        IdentityInfo named = admin.createIdentity(TestNames.unique("uai-fed"), null);

        RuntimeException refused = assertThrows(
                RuntimeException.class,
                () -> exchange(home, named.clientId(), assertionOf(presented)).getTokenSync(VAULT));
        assertTrue(messages(refused).contains("AADSTS70021"), messages(refused));
        assertTrue(messages(refused).contains(presented.principalId()), messages(refused));
    }
}
