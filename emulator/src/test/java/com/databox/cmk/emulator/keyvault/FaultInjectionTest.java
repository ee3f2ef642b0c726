package com.databox.cmk.emulator.keyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private static final byte[] DATA_KEY = new byte[32];
    private static EmulatorAdminClient admin;
    private static ManagedIdentityCredential app;

    @BeforeAll
    static void start() {
        admin = EmulatorTestSupport.admin();
        app = new ManagedIdentityCredentialBuilder().build();
    }

    /** A vault and key whose client has already answered the 401 challenge, with the counts reset. */
    private static CryptographyClient warmClient(String vault) {
        admin.createVault(vault);
        admin.grant(vault, EmulatorTestSupport.shared().appPrincipalId(), "get", "wrapKey", "unwrapKey");
        CryptographyClient crypto =
                EmulatorTestSupport.cryptographyClient(admin.createKey(vault, "kek", "RSA", 2048), app);
        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);
        admin.resetRequests(vault);
        return crypto;
    }

    @Test
    void sdkRetriesThrottledWrapAfterRetryAfterAndSucceeds() {
        String vault = TestNames.unique("throttled");
        CryptographyClient crypto = warmClient(vault);
        admin.injectFault(vault, "wrapKey", 429, 2, 1, 0);

        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);

        RequestCounts counts = admin.requests(vault);
        assertEquals(3, counts.of("wrapKey"), counts.toString());
        assertEquals(3, counts.total());
    }

    @Test
    void sdkRetriesServiceUnavailableAndSucceeds() {
        String vault = TestNames.unique("unavailable");
        CryptographyClient crypto = warmClient(vault);
        admin.injectFault(vault, "wrapKey", 503, 2, 1, 0);

        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);

        assertEquals(3, admin.requests(vault).of("wrapKey"));
    }

    @Test
    void delayedCallAnswersAfterTheDelay() {
        String vault = TestNames.unique("slow");
        CryptographyClient crypto = warmClient(vault);
        admin.injectFault(vault, null, 0, 1, 0, 400);

        long started = System.nanoTime();
        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertTrue(elapsedMs >= 400, "took " + elapsedMs + " ms");
        assertEquals(1, admin.requests(vault).of("wrapKey"));
    }
}
