package com.databox.cmk.emulator.keyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecoveryLevelTest {

    private static EmulatorAdminClient admin;
    private static ManagedIdentityCredential app;

    @BeforeAll
    static void start() {
        EmulatorTestSupport.shared();
        admin = EmulatorTestSupport.admin();
        app = new ManagedIdentityCredentialBuilder().build();
    }

    private KeyProperties propertiesOfKeyIn(boolean softDelete, boolean purgeProtection, int retentionDays) {
        String vault = TestNames.unique("rl");
        VaultInfo info = admin.createVault(vault, null, softDelete, purgeProtection, retentionDays, false);
        admin.grant(vault, EmulatorTestSupport.shared().appPrincipalId(), "get");
        admin.createKey(vault, "mmk", "RSA", 2048);
        return EmulatorTestSupport.keyClient(info.vaultUrl(), app).getKey("mmk").getProperties();
    }

    @Test
    void softDeleteWithPurgeProtectionIsRecoverableForTheRetentionDays() {
        KeyProperties properties = propertiesOfKeyIn(true, true, 30);
        assertEquals("CustomizedRecoverable", properties.getRecoveryLevel(), "kept less than 90 days");
        assertEquals(30, properties.getRecoverableDays());
        assertEquals("Recoverable", propertiesOfKeyIn(true, true, 90).getRecoveryLevel());
    }

    @Test
    void softDeleteWithoutPurgeProtectionIsRecoverableAndPurgeable() {
        KeyProperties properties = propertiesOfKeyIn(true, false, 90);
        assertEquals("Recoverable+Purgeable", properties.getRecoveryLevel());
        assertEquals(90, properties.getRecoverableDays());
    }

    @Test
    void noSoftDeleteIsPurgeableWithZeroRecoverableDays() {
        KeyProperties properties = propertiesOfKeyIn(false, false, 90);
        assertEquals("Purgeable", properties.getRecoveryLevel());
        assertEquals(0, properties.getRecoverableDays());
    }
}
