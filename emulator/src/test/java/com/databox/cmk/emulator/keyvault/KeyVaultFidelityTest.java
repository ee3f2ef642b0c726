package com.databox.cmk.emulator.keyvault;

import static com.databox.cmk.emulator.EmulatorAssertions.assertKeyVaultError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm;
import com.azure.security.keyvault.keys.models.CreateEcKeyOptions;
import com.azure.security.keyvault.keys.models.CreateKeyOptions;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyCurveName;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyRotationLifetimeAction;
import com.azure.security.keyvault.keys.models.KeyRotationPolicy;
import com.azure.security.keyvault.keys.models.KeyRotationPolicyAction;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Key Vault behaviours of issue 14 through the official Java SDK (the Node suite checks the same cases). */
class KeyVaultFidelityTest {

    private static final Duration FAST_POLL = Duration.ofMillis(50);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static EmulatorAdminClient admin;
    private static ManagedIdentityCredential app;

    @BeforeAll
    static void start() {
        admin = EmulatorTestSupport.admin();
        app = new ManagedIdentityCredentialBuilder().build();
    }

    /** A vault where the app may do everything. */
    private static KeyClient vault(String sku, boolean purgeProtection) {
        String name = TestNames.unique("fid");
        VaultInfo info = admin.createVault(name, null, true, purgeProtection, 90, false, sku);
        admin.grant(name, EmulatorTestSupport.shared().appPrincipalId(), "all");
        return EmulatorTestSupport.keyClient(info.vaultUrl(), app);
    }

    private static byte[] sha(int bits, byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-" + bits).digest(data);
    }

    @ParameterizedTest
    @CsvSource({
        "RSA,,RS256,256",
        "RSA,,RS384,384",
        "RSA,,PS256,256",
        "RSA,,PS512,512",
        "EC,P-256,ES256,256",
        "EC,P-256K,ES256K,256",
        "EC,P-384,ES384,384",
        "EC,P-521,ES512,512"
    })
    void signsAndVerifiesADigest(String kty, String curve, String alg, int bits) throws Exception {
        KeyClient keys = vault("standard", false);
        String name = TestNames.unique("sig");
        KeyVaultKey key = kty.equals("RSA")
                ? keys.createRsaKey(new CreateRsaKeyOptions(name).setKeySize(2048))
                : keys.createEcKey(new CreateEcKeyOptions(name).setCurveName(KeyCurveName.fromString(curve)));
        CryptographyClient crypto = EmulatorTestSupport.cryptographyClient(key.getId(), app);
        byte[] digest = sha(bits, "the data".getBytes());

        byte[] signature =
                crypto.sign(SignatureAlgorithm.fromString(alg), digest).getSignature();

        assertTrue(crypto.verify(SignatureAlgorithm.fromString(alg), digest, signature)
                .isValid());
        assertFalse(crypto.verify(SignatureAlgorithm.fromString(alg), sha(bits, "other data".getBytes()), signature)
                .isValid());
    }

    @Test
    void rotatesToANewVersionAndKeepsItsRotationPolicy() {
        KeyClient keys = vault("standard", false);
        String name = TestNames.unique("rot");
        KeyVaultKey first =
                keys.createRsaKey(new CreateRsaKeyOptions(name).setKeySize(3072).setTags(Map.of("team", "databox")));

        KeyRotationPolicy initial = keys.getKeyRotationPolicy(name);
        assertEquals(first.getId().substring(0, first.getId().lastIndexOf('/')) + "/rotationpolicy", initial.getId());
        assertEquals(
                KeyRotationPolicyAction.NOTIFY,
                initial.getLifetimeActions().getFirst().getAction());

        KeyRotationPolicy policy = keys.updateKeyRotationPolicy(
                name,
                new KeyRotationPolicy()
                        .setExpiresIn("P90D")
                        .setLifetimeActions(List.of(new KeyRotationLifetimeAction(KeyRotationPolicyAction.ROTATE)
                                .setTimeAfterCreate("P30D"))));
        assertEquals("P90D", policy.getExpiresIn());
        assertEquals(
                "P30D",
                keys.getKeyRotationPolicy(name).getLifetimeActions().getFirst().getTimeAfterCreate());

        KeyVaultKey rotated = keys.rotateKey(name);
        assertNotEquals(first.getId(), rotated.getId());
        assertEquals(384, rotated.getKey().getN().length);
        assertEquals(Map.of("team", "databox"), rotated.getProperties().getTags());
        OffsetDateTime expires = rotated.getProperties().getExpiresOn();
        assertNotNull(expires);
        assertEquals(
                90,
                Duration.between(OffsetDateTime.now(ZoneOffset.UTC), expires).toDays(),
                1);
        assertEquals(rotated.getId(), keys.getKey(name).getId());
        assertEquals(2, keys.listPropertiesOfKeyVersions(name).stream().count());
    }

    @Test
    void backupRestoresAPurgedKeyThatStillUnwrapsWhatItWrapped() {
        KeyClient keys = vault("standard", false);
        String name = TestNames.unique("bak");
        KeyVaultKey key = keys.createRsaKey(new CreateRsaKeyOptions(name).setKeySize(2048));
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        byte[] wrapped = EmulatorTestSupport.cryptographyClient(key.getId(), app)
                .wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dataKey)
                .getEncryptedKey();
        byte[] backup = keys.backupKey(name);

        assertKeyVaultError(409, () -> keys.restoreKeyBackup(backup), "\"Conflict\"");
        keys.beginDeleteKey(name).setPollInterval(FAST_POLL).waitForCompletion();
        keys.purgeDeletedKey(name);
        KeyVaultKey restored = keys.restoreKeyBackup(backup);

        assertEquals(key.getId(), restored.getId());
        assertArrayEquals(
                dataKey,
                EmulatorTestSupport.cryptographyClient(key.getId(), app)
                        .unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped)
                        .getKey());
        assertKeyVaultError(400, () -> keys.restoreKeyBackup("not a backup".getBytes()), "\"BadParameter\"");
    }

    @Test
    void randomBytesAreAManagedHsmOperationThatAVaultRefusesWithBadParameter() {
        KeyClient keys = vault("premium", false);
        assertKeyVaultError(400, () -> keys.getRandomBytes(16), "\"BadParameter\"", "Managed HSM");
    }

    @Test
    void importsAnRsaKeyWhosePrivatePartStaysInTheVault() throws Exception {
        KeyClient keys = vault("standard", false);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String name = TestNames.unique("imp");

        KeyVaultKey imported =
                keys.importKey(name, JsonWebKey.fromRsa(pair, List.of(KeyOperation.DECRYPT, KeyOperation.UNWRAP_KEY)));

        assertEquals(KeyType.RSA, imported.getKeyType());
        assertArrayEquals(
                pair.getPublic().getEncoded(),
                imported.getKey().toRsa().getPublic().getEncoded());
        Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, pair.getPublic());
        byte[] secret = "sixteen byte key".getBytes();
        assertArrayEquals(
                secret,
                EmulatorTestSupport.cryptographyClient(imported.getId(), app)
                        .unwrapKey(KeyWrapAlgorithm.RSA1_5, cipher.doFinal(secret))
                        .getKey());
        assertKeyVaultError(
                400,
                () -> EmulatorTestSupport.cryptographyClient(imported.getId(), app)
                        .wrapKey(KeyWrapAlgorithm.RSA1_5, secret),
                "not permitted");
    }

    @Test
    void keepsTagsAndKeyOpsOnCreateAndAppliesTheirUpdates() {
        KeyClient keys = vault("standard", false);
        String name = TestNames.unique("ops");
        KeyVaultKey key = keys.createRsaKey(new CreateRsaKeyOptions(name)
                .setKeySize(2048)
                .setTags(Map.of("owner", "contoso"))
                .setKeyOperations(KeyOperation.WRAP_KEY));
        assertEquals(
                Map.of("owner", "contoso"), keys.getKey(name).getProperties().getTags());
        assertEquals(List.of(KeyOperation.WRAP_KEY), keys.getKey(name).getKeyOperations());
        CryptographyClient crypto = EmulatorTestSupport.cryptographyClient(key.getId(), app);
        byte[] wrapped = crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, new byte[32]).getEncryptedKey();
        assertKeyVaultError(
                400, () -> crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP, wrapped), "unwrapKey is not permitted");

        KeyProperties properties =
                keys.getKey(name).getProperties().setTags(Map.of("owner", "fabrikam", "tier", "gold"));
        KeyVaultKey updated = keys.updateKeyProperties(properties, KeyOperation.WRAP_KEY, KeyOperation.UNWRAP_KEY);

        assertEquals(
                Map.of("owner", "fabrikam", "tier", "gold"),
                updated.getProperties().getTags());
        assertEquals(32, crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP, wrapped).getKey().length);
        assertEquals(
                Map.of("owner", "fabrikam", "tier", "gold"),
                keys.listPropertiesOfKeys().stream()
                        .filter(p -> p.getName().equals(name))
                        .findFirst()
                        .orElseThrow()
                        .getTags());
    }

    @Test
    void aKeyWithoutTagsHasNoTagsInItsBundleOrListItem() {
        KeyClient keys = vault("standard", false);
        String name = TestNames.unique("untagged");

        KeyVaultKey created = keys.createRsaKey(new CreateRsaKeyOptions(name).setKeySize(2048));

        // Key Vault leaves "tags" out when a key has none, so the SDKs report none (not an empty map).
        assertNull(created.getProperties().getTags());
        assertNull(keys.getKey(name).getProperties().getTags());
        assertNull(keys.listPropertiesOfKeys().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getTags());
        assertNull(keys.listPropertiesOfKeyVersions(name).stream()
                .findFirst()
                .orElseThrow()
                .getTags());
    }

    @Test
    void anExpiredKeyStillUnwrapsAndVerifiesButNoLongerWrapsOrSigns() throws Exception {
        KeyClient keys = vault("standard", false);
        String name = TestNames.unique("exp");
        KeyVaultKey key = keys.createRsaKey(new CreateRsaKeyOptions(name).setKeySize(2048));
        CryptographyClient crypto = EmulatorTestSupport.cryptographyClient(key.getId(), app);
        byte[] wrapped =
                crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]).getEncryptedKey();
        byte[] digest = sha(256, "signed before expiry".getBytes());
        byte[] signature = crypto.sign(SignatureAlgorithm.RS256, digest).getSignature();

        keys.updateKeyProperties(keys.getKey(name)
                .getProperties()
                .setExpiresOn(OffsetDateTime.now().minusMinutes(1)));

        assertEquals(
                32, crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped).getKey().length);
        assertTrue(crypto.verify(SignatureAlgorithm.RS256, digest, signature).isValid());
        assertKeyVaultError(403, () -> crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]), "\"KeyExpired\"");
        assertKeyVaultError(403, () -> crypto.sign(SignatureAlgorithm.RS256, digest), "\"KeyExpired\"");

        keys.updateKeyProperties(keys.getKey(name)
                .getProperties()
                .setExpiresOn(null)
                .setNotBefore(OffsetDateTime.now().plusDays(1)));
        assertEquals(
                32, crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped).getKey().length);
        assertKeyVaultError(
                403,
                () -> crypto.encrypt(
                        com.azure.security.keyvault.keys.cryptography.models.EncryptionAlgorithm.RSA_OAEP,
                        new byte[16]),
                "\"Forbidden\"");
    }

    @Test
    void listingVersionsOfAnUnknownKeyIsEmpty() {
        assertEquals(
                0,
                vault("standard", false).listPropertiesOfKeyVersions("never-created").stream()
                        .count());
    }

    @Test
    void listsFollowNextLinkAcrossPages() {
        KeyClient keys = vault("standard", false);
        String name = TestNames.unique("many");
        for (int i = 0; i < 27; i++) {
            keys.createEcKey(new CreateEcKeyOptions(i == 0 ? name : name + "-" + i));
        }
        for (int i = 0; i < 26; i++) {
            keys.createEcKey(new CreateEcKeyOptions(name));
        }
        assertEquals(27, keys.listPropertiesOfKeys().stream().count());
        assertEquals(27, keys.listPropertiesOfKeyVersions(name).stream().count());
        assertTrue(
                keys.listPropertiesOfKeys().iterableByPage().iterator().next().getContinuationToken() != null);
        for (int i = 1; i < 27; i++) {
            keys.beginDeleteKey(name + "-" + i).setPollInterval(FAST_POLL).waitForCompletion();
        }
        assertEquals(26, keys.listDeletedKeys().stream().count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA-HSM", "EC-HSM", "oct", "oct-HSM"})
    void aStandardVaultRefusesHsmAndSymmetricKeys(String kty) {
        KeyClient keys = vault("standard", false);
        assertKeyVaultError(
                400,
                () -> keys.createKey(new CreateKeyOptions(TestNames.unique("t"), KeyType.fromString(kty))),
                "\"BadParameter\"");
    }

    @Test
    void aPremiumVaultCreatesHsmKeysButNoSymmetricOnes() {
        KeyClient keys = vault("premium", false);
        assertEquals(
                KeyType.RSA_HSM,
                keys.createRsaKey(new CreateRsaKeyOptions(TestNames.unique("h"))
                                .setHardwareProtected(true)
                                .setKeySize(4096))
                        .getKeyType());
        assertEquals(
                KeyType.EC_HSM,
                keys.createEcKey(new CreateEcKeyOptions(TestNames.unique("h"))
                                .setHardwareProtected(true)
                                .setCurveName(KeyCurveName.P_384))
                        .getKeyType());
        assertKeyVaultError(
                400, () -> keys.createKey(new CreateKeyOptions(TestNames.unique("t"), KeyType.OCT_HSM)), "Managed HSM");
    }

    @Test
    void refusesRsa1024AndAcceptsP256K() {
        KeyClient keys = vault("standard", false);
        assertKeyVaultError(
                400,
                () -> keys.createRsaKey(new CreateRsaKeyOptions(TestNames.unique("small")).setKeySize(1024)),
                "\"BadParameter\"",
                "2048, 3072 or 4096");
        assertEquals(
                KeyCurveName.P_256K,
                keys.createEcKey(new CreateEcKeyOptions(TestNames.unique("k1")).setCurveName(KeyCurveName.P_256K))
                        .getKey()
                        .getCurveName());
    }
}
