package com.databox.cmk.api;

import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bug bash bb89: the order's key is gone from its URL (purged), but the customer still holds a key that unwraps
 * the order's wrapped unlock key: its backup restored into another vault, or the same RSA material imported again.
 * The brief's rule: such an order can always be recovered. Every way off the key unwraps at the stored URL first,
 * so each answers SsemUserErrorKeyDetailsNotFound and the order stays stranded.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class KeyHeldElsewhereRecoveryTest {

    private static final String[] MANAGE = {"get", "wrapKey", "unwrapKey", "backup", "restore", "import", "create"};

    private static KeyClient keys(CustomerKeyVault vault, IdentityInfo identity) {
        return EmulatorTestSupport.keyClient(
                vault.vaultUrl(),
                new ManagedIdentityCredentialBuilder()
                        .resourceId(identity.resourceId())
                        .build());
    }

    /** As if the retention period had passed (EMULATOR-MANUAL.md: {@code purge?force=true}). */
    private static void purgeForGood(String vault, String key) {
        try {
            HttpResponse<String> purged = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            EmulatorTestSupport.shared().adminUrl() + "/admin/vaults/" + vault
                                                    + "/keys/" + key + "/purge?force=true"))
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertMovedTo(Response changed, String kekUrl) {
        assertThat(changed.statusCode())
                .as("change-key to the customer's key: " + changed.asString())
                .isEqualTo(200);
        assertThat(changed.<String>path("keyEncryptionKey.kekUrl")).isEqualTo(kekUrl);
    }

    @Test
    void keyBackupRestoredIntoAnotherVaultTakesTheOrder() {
        IdentityInfo identity = CustomerKeyVault.newIdentity();
        CustomerKeyVault first = CustomerKeyVault.create(identity);
        CustomerKeyVault second = CustomerKeyVault.create(identity);
        admin().grant(first.name(), identity.principalId(), MANAGE);
        admin().grant(second.name(), identity.principalId(), MANAGE);
        CmkOrder order = CmkOrder.create().enableUserAssigned(first);

        byte[] backup = keys(first, identity).backupKey(first.keyName());
        admin().deleteKey(first.name(), first.keyName());
        purgeForGood(first.name(), first.keyName());
        KeyVaultKey restored = keys(second, identity).restoreKeyBackup(backup);
        assertThat(CustomerKeyVault.versionOf(restored.getId())).isEqualTo(first.keyVersion());

        assertMovedTo(order.changeKey(restored.getId(), second.resourceId()), restored.getId());
        order.assertPasswordKept();
    }

    @Test
    void sameKeyMaterialImportedAgainTakesTheOrder() throws Exception {
        IdentityInfo identity = CustomerKeyVault.newIdentity();
        CustomerKeyVault vault = CustomerKeyVault.create(identity);
        admin().grant(vault.name(), identity.principalId(), MANAGE);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        KeyPair pair = generator.generateKeyPair();
        JsonWebKey material = JsonWebKey.fromRsa(pair, List.of(KeyOperation.WRAP_KEY, KeyOperation.UNWRAP_KEY));
        String name = CustomerKeyVault.randomName("byok");
        KeyVaultKey imported = keys(vault, identity).importKey(name, material);
        CmkOrder order = CmkOrder.create();
        order.attach(identity);
        Response enabled = order.enable(CmkOrder.enableBody(
                imported.getId(), vault.resourceId(), CmkOrder.userAssigned(identity.resourceId())));
        assertThat(enabled.statusCode()).as(enabled.asString()).isEqualTo(200);

        admin().deleteKey(vault.name(), name);
        purgeForGood(vault.name(), name);
        KeyVaultKey again = keys(vault, identity).importKey(name, material);

        assertMovedTo(order.changeKey(again.getId(), vault.resourceId()), again.getId());
        order.assertPasswordKept();
    }
}
