package com.databox.cmk.emulator.keyvault;

import static com.databox.cmk.emulator.EmulatorAssertions.assertKeyVaultError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.exception.HttpResponseException;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorAdminException;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import com.databox.cmk.emulator.identity.IdentityInfo;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AccessControlTest {

    private static final byte[] DATA_KEY = new byte[32];
    private static EmulatorAdminClient admin;
    private static ManagedIdentityCredential app;
    private static String appPrincipal;

    @BeforeAll
    static void start() {
        admin = EmulatorTestSupport.admin();
        app = new ManagedIdentityCredentialBuilder().build();
        appPrincipal = EmulatorTestSupport.shared().appPrincipalId();
    }

    @Test
    void refusesWrapWithoutWrapKeyPermission() {
        String vault = TestNames.unique("nowrap");
        admin.createVault(vault);
        admin.grant(vault, appPrincipal, "get", "unwrapKey");
        String kid = admin.createKey(vault, "kek", "RSA", 2048);
        CryptographyClient crypto = EmulatorTestSupport.cryptographyClient(kid, app);

        HttpResponseException e = assertKeyVaultError(
                403,
                () -> crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY),
                "\"code\":\"Forbidden\"",
                "does not have keys wrapKey permission",
                "\"AccessDenied\"",
                "oid=" + appPrincipal);
        assertTrue(e.getMessage().contains("on key vault '" + vault + ";"), e.getMessage());
    }

    @Test
    void userAssignedIdentityWithAccessWrapsAndOneWithoutIsRefused() {
        String vault = TestNames.unique("uai");
        admin.createVault(vault);
        IdentityInfo granted = admin.createIdentity(TestNames.unique("uai-ok"), null);
        IdentityInfo other = admin.createIdentity(TestNames.unique("uai-none"), null);
        admin.grant(vault, granted.principalId(), "get", "wrapKey", "unwrapKey");
        String kid = admin.createKey(vault, "kek", "RSA", 2048);

        var byResourceId = new ManagedIdentityCredentialBuilder()
                .resourceId(granted.resourceId())
                .build();
        var wrapped =
                EmulatorTestSupport.cryptographyClient(kid, byResourceId).wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);
        var byClientId = new ManagedIdentityCredentialBuilder()
                .clientId(granted.clientId())
                .build();
        assertEquals(
                32,
                EmulatorTestSupport.cryptographyClient(kid, byClientId)
                        .unwrapKey(KeyWrapAlgorithm.RSA_OAEP, wrapped.getEncryptedKey())
                        .getKey()
                        .length);

        var otherCredential = new ManagedIdentityCredentialBuilder()
                .resourceId(other.resourceId())
                .build();
        assertKeyVaultError(
                403,
                () -> EmulatorTestSupport.keyClient(vaultUrl(kid), otherCredential)
                        .getKey("kek"),
                "does not have keys get permission",
                "oid=" + other.principalId());
    }

    @Test
    void refusesCallsThroughTheFirewall() {
        String vault = TestNames.unique("fw");
        VaultInfo info = admin.createVault(vault, null, true, true, 90, true);
        admin.grant(vault, appPrincipal, "get", "wrapKey", "unwrapKey");
        admin.createKey(vault, "kek", "RSA", 2048);

        assertKeyVaultError(
                403,
                () -> EmulatorTestSupport.keyClient(info.vaultUrl(), app).getKey("kek"),
                "\"code\":\"Forbidden\"",
                "\"ForbiddenByFirewall\"");
    }

    @Test
    void refusesATokenOfAnotherTenantAfterTheVaultMoves() {
        String vault = TestNames.unique("moved");
        VaultInfo info = admin.createVault(vault);
        admin.grant(vault, appPrincipal, "get");
        admin.createKey(vault, "kek", "RSA", 2048);
        KeyClient client = EmulatorTestSupport.keyClient(info.vaultUrl(), app);
        client.getKey("kek");

        admin.moveVault(vault, UUID.randomUUID().toString());

        assertKeyVaultError(401, () -> client.getKey("kek"), "AKV10032");
    }

    @Test
    void refusesAnIdentityOfAnotherTenant() {
        String vault = TestNames.unique("foreign");
        VaultInfo info = admin.createVault(vault);
        IdentityInfo foreign = admin.createIdentity(
                TestNames.unique("uai-foreign"), UUID.randomUUID().toString());
        admin.grant(vault, foreign.principalId(), "get");
        admin.createKey(vault, "kek", "RSA", 2048);
        var credential = new ManagedIdentityCredentialBuilder()
                .resourceId(foreign.resourceId())
                .build();

        assertKeyVaultError(
                401,
                () -> EmulatorTestSupport.keyClient(info.vaultUrl(), credential).getKey("kek"));
    }

    @Test
    void refusesAnAccessPolicyWithAPermissionKeyVaultDoesNotHave() {
        String vault = TestNames.unique("badperm");
        VaultInfo info = admin.createVault(vault);
        admin.grant(vault, appPrincipal, "get");
        admin.createKey(vault, "kek", "RSA", 2048);

        EmulatorAdminException refused =
                assertThrows(EmulatorAdminException.class, () -> admin.grant(vault, appPrincipal, "get", "frobnicate"));

        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("'frobnicate'"), refused.getMessage());
        // The policy before the refused PUT still holds, and Key Vault's names are taken in any case.
        EmulatorTestSupport.keyClient(info.vaultUrl(), app).getKey("kek");
        admin.grant(vault, appPrincipal, "Get", "WRAPKEY", "unwrapKey", "GetRotationPolicy", "all");
    }

    private static String vaultUrl(String kid) {
        return kid.substring(0, kid.indexOf("/keys/"));
    }
}
