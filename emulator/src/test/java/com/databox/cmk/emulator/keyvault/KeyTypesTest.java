package com.databox.cmk.emulator.keyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.models.CreateEcKeyOptions;
import com.azure.security.keyvault.keys.models.CreateOctKeyOptions;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyCurveName;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorAssertions;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTypesTest {

    private static KeyClient keys;

    @BeforeAll
    static void vault() {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        String vault = TestNames.unique("types");
        VaultInfo info = admin.createVault(vault);
        admin.grant(vault, EmulatorTestSupport.shared().appPrincipalId(), "get", "create", "list");
        keys = EmulatorTestSupport.keyClient(info.vaultUrl(), new ManagedIdentityCredentialBuilder().build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-384", "P-521", "P-256K"})
    void createsAndReadsEcKeys(String curve) {
        String name = TestNames.unique("ec");
        KeyVaultKey created =
                keys.createEcKey(new CreateEcKeyOptions(name).setCurveName(KeyCurveName.fromString(curve)));

        JsonWebKey jwk = keys.getKey(name).getKey();
        assertEquals(created.getId(), jwk.getId());
        assertEquals(KeyType.EC, jwk.getKeyType());
        assertEquals(curve, jwk.getCurveName().toString());
        assertNotNull(jwk.getX());
        assertNotNull(jwk.getY());
        assertNull(jwk.getD());
    }

    @Test
    void refusesOctKeysWhichOnlyAManagedHsmHas() {
        EmulatorAssertions.assertKeyVaultError(
                400,
                () -> keys.createOctKey(new CreateOctKeyOptions(TestNames.unique("oct")).setKeySize(256)),
                "\"BadParameter\"",
                "Managed HSM");
    }

    @Test
    void createsRsaKeysShowingOnlyPublicParts() {
        String name = TestNames.unique("rsa");
        keys.createRsaKey(new CreateRsaKeyOptions(name).setKeySize(3072));

        KeyVaultKey key = keys.getKey(name);
        assertEquals(KeyType.RSA, key.getKeyType());
        assertEquals(384, key.getKey().getN().length);
        assertNull(key.getKey().getD());
        assertEquals(1, keys.listPropertiesOfKeyVersions(name).stream().count());
    }
}
