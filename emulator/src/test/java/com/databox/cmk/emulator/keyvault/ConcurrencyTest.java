package com.databox.cmk.emulator.keyvault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    @Test
    void twentyParallelRoundTripsAllSucceedAndAreCounted() throws Exception {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        String vault = TestNames.unique("parallel");
        admin.createVault(vault);
        admin.grant(vault, EmulatorTestSupport.shared().appPrincipalId(), "wrapKey", "unwrapKey");
        String kid = admin.createKey(vault, "kek", "RSA", 2048);
        CryptographyClient crypto =
                EmulatorTestSupport.cryptographyClient(kid, new ManagedIdentityCredentialBuilder().build());
        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]);
        admin.resetRequests(vault);

        List<Future<?>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                byte[] dataKey = new byte[32];
                dataKey[0] = (byte) i;
                results.add(pool.submit(() -> {
                    byte[] wrapped = crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dataKey)
                            .getEncryptedKey();
                    assertArrayEquals(
                            dataKey,
                            crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped)
                                    .getKey());
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        }

        RequestCounts counts = admin.requests(vault);
        assertEquals(20, counts.of("wrapKey"));
        assertEquals(20, counts.of("unwrapKey"));
    }
}
