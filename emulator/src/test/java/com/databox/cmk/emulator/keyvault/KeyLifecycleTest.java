package com.databox.cmk.emulator.keyvault;

import static com.databox.cmk.emulator.EmulatorAssertions.assertKeyVaultError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.models.DeletedKey;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyLifecycleTest {

    private static final byte[] DATA_KEY = new byte[32];
    private static final Duration FAST_POLL = Duration.ofMillis(50);
    private static EmulatorAdminClient admin;
    private static ManagedIdentityCredential app;

    @BeforeAll
    static void start() {
        admin = EmulatorTestSupport.admin();
        app = new ManagedIdentityCredentialBuilder().build();
    }

    private static VaultInfo vault(String name, boolean softDelete, boolean purgeProtection) {
        VaultInfo info = admin.createVault(name, null, softDelete, purgeProtection, 90, false);
        admin.grant(
                name,
                EmulatorTestSupport.shared().appPrincipalId(),
                "get",
                "list",
                "wrapKey",
                "unwrapKey",
                "delete",
                "recover",
                "purge");
        return info;
    }

    @Test
    void refusesWrapWithADisabledKey() {
        String vault = TestNames.unique("disabled");
        VaultInfo info = vault(vault, true, true);
        String kid = admin.createKey(vault, "kek", "RSA", 2048, false, null, null);

        assertFalse(EmulatorTestSupport.keyClient(info.vaultUrl(), app)
                .getKey("kek")
                .getProperties()
                .isEnabled());
        assertKeyVaultError(
                403,
                () -> EmulatorTestSupport.cryptographyClient(kid, app).wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY),
                "\"code\":\"Forbidden\"",
                "\"KeyDisabled\"");
    }

    @Test
    void refusesWrapWithAnExpiredKeyAndAKeyNotYetValid() {
        String vault = TestNames.unique("expired");
        VaultInfo info = vault(vault, true, true);
        Instant past = Instant.now().minus(Duration.ofDays(1));
        String expired = admin.createKey(vault, "old", "RSA", 2048, true, null, past);
        String future =
                admin.createKey(vault, "new", "RSA", 2048, true, Instant.now().plus(Duration.ofDays(1)), null);

        OffsetDateTime expiresOn = EmulatorTestSupport.keyClient(info.vaultUrl(), app)
                .getKey("old")
                .getProperties()
                .getExpiresOn();
        assertEquals(past.getEpochSecond(), expiresOn.toEpochSecond());
        assertKeyVaultError(
                403,
                () -> EmulatorTestSupport.cryptographyClient(expired, app).wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY),
                "\"code\":\"Forbidden\"",
                "\"KeyExpired\"");
        assertKeyVaultError(
                403,
                () -> EmulatorTestSupport.cryptographyClient(future, app).wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY),
                "\"code\":\"Forbidden\"",
                "\"KeyExpired\"");
    }

    @Test
    void reEnabledKeyWrapsAgain() {
        String vault = TestNames.unique("reenabled");
        vault(vault, true, true);
        String kid = admin.createKey(vault, "kek", "RSA", 2048, false, null, null);
        admin.updateKey(vault, "kek", kid.substring(kid.lastIndexOf('/') + 1), true, null, null);

        assertEquals(
                kid,
                EmulatorTestSupport.cryptographyClient(kid, app)
                        .wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY)
                        .getKeyId());
    }

    @Test
    void deletedKeyShowsItsScheduledPurgeDateAndRecovers() {
        String vault = TestNames.unique("deleted");
        VaultInfo info = vault(vault, true, true);
        String kid = admin.createKey(vault, "kek", "RSA", 2048);
        KeyClient keys = EmulatorTestSupport.keyClient(info.vaultUrl(), app);

        keys.beginDeleteKey("kek").setPollInterval(FAST_POLL).waitForCompletion();
        assertThrows(ResourceNotFoundException.class, () -> keys.getKey("kek"));
        DeletedKey deleted = keys.getDeletedKey("kek");
        assertEquals(info.vaultUrl() + "/deletedkeys/kek", deleted.getRecoveryId());
        assertNotNull(deleted.getDeletedOn());
        assertEquals(
                90,
                Duration.between(deleted.getDeletedOn(), deleted.getScheduledPurgeDate())
                        .toDays());

        keys.beginRecoverDeletedKey("kek").setPollInterval(FAST_POLL).waitForCompletion();
        assertEquals(
                kid,
                EmulatorTestSupport.cryptographyClient(kid, app)
                        .wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, DATA_KEY)
                        .getKeyId());
    }

    @Test
    void refusesPurgeUnderPurgeProtection() {
        String vault = TestNames.unique("protected");
        VaultInfo info = vault(vault, true, true);
        admin.createKey(vault, "kek", "RSA", 2048);
        admin.deleteKey(vault, "kek");
        KeyClient keys = EmulatorTestSupport.keyClient(info.vaultUrl(), app);

        assertKeyVaultError(403, () -> keys.purgeDeletedKey("kek"), "\"code\":\"Forbidden\"", "purge protection");
        assertNotNull(keys.getDeletedKey("kek").getScheduledPurgeDate());
    }

    @Test
    void purgesWithoutPurgeProtection() {
        String vault = TestNames.unique("purgeable");
        VaultInfo info = vault(vault, true, false);
        admin.createKey(vault, "kek", "RSA", 2048);
        KeyClient keys = EmulatorTestSupport.keyClient(info.vaultUrl(), app);
        keys.beginDeleteKey("kek").setPollInterval(FAST_POLL).waitForCompletion();

        keys.purgeDeletedKey("kek");

        assertThrows(ResourceNotFoundException.class, () -> keys.getDeletedKey("kek"));
        assertThrows(ResourceNotFoundException.class, () -> keys.getKey("kek"));
    }

    @Test
    void deletesForGoodWithoutSoftDelete() {
        String vault = TestNames.unique("nosoft");
        VaultInfo info = vault(vault, false, false);
        admin.createKey(vault, "kek", "RSA", 2048);
        admin.deleteKey(vault, "kek");
        KeyClient keys = EmulatorTestSupport.keyClient(info.vaultUrl(), app);

        assertKeyVaultError(404, () -> keys.getKey("kek"), "\"KeyNotFound\"");
        assertThrows(ResourceNotFoundException.class, () -> keys.getDeletedKey("kek"));
    }

    @Test
    void missingKeyIsKeyNotFound() {
        String vault = TestNames.unique("missing");
        VaultInfo info = vault(vault, true, true);
        ResourceNotFoundException e = assertThrows(
                ResourceNotFoundException.class,
                () -> EmulatorTestSupport.keyClient(info.vaultUrl(), app).getKey("nope"));
        assertTrue(e.getMessage().contains("\"KeyNotFound\""), e.getMessage());
    }
}
