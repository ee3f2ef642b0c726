package com.databox.cmk.emulator.keyvault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.EncryptionAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WrapUnwrapTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static EmulatorAdminClient admin;
    private static ManagedIdentityCredential app;
    private static String vault;

    @BeforeAll
    static void vaultWithAccess() {
        admin = EmulatorTestSupport.admin();
        app = new ManagedIdentityCredentialBuilder().build();
        vault = TestNames.unique("wrap");
        admin.createVault(vault);
        admin.grant(vault, EmulatorTestSupport.shared().appPrincipalId(), "get", "wrapKey", "unwrapKey");
    }

    private static byte[] dataKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static void assertRoundTrip(String kid, KeyWrapAlgorithm algorithm) {
        CryptographyClient crypto = EmulatorTestSupport.cryptographyClient(kid, app);
        byte[] dataKey = dataKey();
        WrapResult wrapped = crypto.wrapKey(algorithm, dataKey);
        assertEquals(kid, wrapped.getKeyId());
        assertNotEquals(32, wrapped.getEncryptedKey().length);
        assertArrayEquals(
                dataKey, crypto.unwrapKey(algorithm, wrapped.getEncryptedKey()).getKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA-OAEP", "RSA-OAEP-256", "RSA1_5"})
    void wrapsAndUnwrapsWithEachAlgorithm(String algorithm) {
        String kid = admin.createKey(vault, TestNames.unique("alg"), "RSA", 2048);
        assertRoundTrip(kid, KeyWrapAlgorithm.fromString(algorithm));
    }

    @ParameterizedTest
    @ValueSource(ints = {2048, 3072, 4096})
    void wrapsAndUnwrapsWithEachKeySize(int size) {
        String kid = admin.createKey(vault, TestNames.unique("size"), "RSA", size);
        assertRoundTrip(kid, KeyWrapAlgorithm.RSA_OAEP_256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA-OAEP", "RSA-OAEP-256", "RSA1_5"})
    void encryptsAndDecryptsAndDecryptsWhatThePublicKeyEncryptedLocally(String algorithm) throws Exception {
        admin.grant(
                vault,
                EmulatorTestSupport.shared().appPrincipalId(),
                "get",
                "wrapKey",
                "unwrapKey",
                "encrypt",
                "decrypt");
        String kid = admin.createKey(vault, TestNames.unique("enc"), "RSA", 2048);
        CryptographyClient crypto = EmulatorTestSupport.cryptographyClient(kid, app);
        EncryptionAlgorithm alg = EncryptionAlgorithm.fromString(algorithm);
        byte[] plaintext = dataKey();

        byte[] ciphertext = crypto.encrypt(alg, plaintext).getCipherText();
        assertArrayEquals(plaintext, crypto.decrypt(alg, ciphertext).getPlainText());

        String versionless = kid.substring(0, kid.lastIndexOf('/'));
        PublicKey publicKey = EmulatorTestSupport.keyClient(
                        versionless.substring(0, versionless.indexOf("/keys/")), app)
                .getKey(versionless.substring(versionless.lastIndexOf('/') + 1))
                .getKey()
                .toRsa()
                .getPublic();
        Cipher local = switch (algorithm) {
            case "RSA1_5" -> Cipher.getInstance("RSA/ECB/PKCS1Padding");
            default -> Cipher.getInstance("RSA/ECB/OAEPPadding");
        };
        if (algorithm.equals("RSA1_5")) {
            local.init(Cipher.ENCRYPT_MODE, publicKey);
        } else {
            String hash = algorithm.equals("RSA-OAEP") ? "SHA-1" : "SHA-256";
            local.init(
                    Cipher.ENCRYPT_MODE,
                    publicKey,
                    new OAEPParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), PSource.PSpecified.DEFAULT));
        }
        assertArrayEquals(
                plaintext, crypto.decrypt(alg, local.doFinal(plaintext)).getPlainText());
    }

    @Test
    void wrapsAndUnwrapsWithAnRsaHsmKey() {
        String kid = admin.createKey(vault, TestNames.unique("hsm"), "RSA-HSM", 3072);
        assertRoundTrip(kid, KeyWrapAlgorithm.RSA_OAEP);
    }

    @Test
    void unwrapsWithTheFirstVersionAfterANewerVersionExists() {
        String name = TestNames.unique("rotated");
        String firstKid = admin.createKey(vault, name, "RSA", 2048);
        byte[] dataKey = dataKey();
        byte[] wrapped = EmulatorTestSupport.cryptographyClient(firstKid, app)
                .wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dataKey)
                .getEncryptedKey();

        String secondKid = admin.createKey(vault, name, "RSA", 2048);
        assertNotEquals(firstKid, secondKid);

        assertArrayEquals(
                dataKey,
                EmulatorTestSupport.cryptographyClient(firstKid, app)
                        .unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped)
                        .getKey());
        String versionless = firstKid.substring(0, firstKid.lastIndexOf('/'));
        assertEquals(
                secondKid,
                EmulatorTestSupport.keyClient(versionless.substring(0, versionless.indexOf("/keys/")), app)
                        .getKey(name)
                        .getId());
    }
}
