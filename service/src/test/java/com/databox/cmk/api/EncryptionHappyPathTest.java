package com.databox.cmk.api;

import static com.databox.cmk.testing.CmkOrder.assertError;
import static com.databox.cmk.testing.CmkOrder.enableBody;
import static com.databox.cmk.testing.CmkOrder.systemAssigned;
import static com.databox.cmk.testing.CmkOrder.userAssigned;
import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.FunctionsHost;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Enable, change key (version, key, vault), change identity, revert, versionless URLs, creation
 * with a customer-managed key and Data Copy: after each, the device password is the one generated
 * at creation, and the stored unlock key is wrapped by exactly the key version the order shows.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class EncryptionHappyPathTest {

    private static final String VERSIONED_KEY = "https://127\\.0\\.0\\.1:\\d+/keys/%s/[0-9a-f]{32}";

    /** The answer shows the customer-managed {@code kekUrl} and is what a GET shows; the stored key is wrapped by it. */
    private static void assertCustomerManaged(
            CmkOrder order, Response response, String kekUrl, String vaultResourceId, boolean autoRotation) {
        response.then()
                .statusCode(200)
                .body("keyEncryptionKey.kekType", equalTo("CustomerManaged"))
                .body("keyEncryptionKey.kekUrl", equalTo(kekUrl))
                .body("keyEncryptionKey.kekVaultResourceID", equalTo(vaultResourceId))
                .body("keyEncryptionKey.autoRotation", equalTo(autoRotation));
        assertThat(response.header("ETag")).isEqualTo(response.<String>path("etag"));
        Response read = order.get();
        read.then().statusCode(200).body("etag", equalTo(response.<String>path("etag")));
        assertThat(read.<Map<String, Object>>path("keyEncryptionKey"))
                .isEqualTo(response.<Map<String, Object>>path("keyEncryptionKey"));
        assertThat(order.storedWrappedKeyId())
                .as("the key version that wraps the stored unlock key")
                .isEqualTo(kekUrl);
        order.assertPasswordKept();
    }

    @Test
    void enablesACustomerKeyWithAUserAssignedIdentity() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().attach(vault.identity());

        Response enabled = order.enable(vault);
        enabled.then()
                .statusCode(200)
                .body("keyEncryptionKey.identityProperties.type", equalTo("UserAssigned"))
                .body(
                        "keyEncryptionKey.identityProperties.userAssigned.resourceId",
                        equalTo(vault.identity().resourceId()));
        assertCustomerManaged(order, enabled, vault.keyUrl(), vault.resourceId(), false);
        assertThat(admin().requests(vault.name()).of("wrapKey"))
                .as("wrapKey calls to the customer vault")
                .isPositive();
    }

    @Test
    void enablesACustomerKeyWithTheSystemAssignedIdentity() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create();
        vault.grant(order.attachSystemAssigned(), CustomerKeyVault.ALL_KEY_PERMISSIONS);

        Response enabled = order.enable(enableBody(vault.keyUrl(), vault.resourceId(), systemAssigned()));
        enabled.then()
                .statusCode(200)
                .body("keyEncryptionKey.identityProperties.type", equalTo("SystemAssigned"))
                .body("keyEncryptionKey.identityProperties.userAssigned", nullValue());
        assertCustomerManaged(order, enabled, vault.keyUrl(), vault.resourceId(), false);
    }

    @Test
    void changesToANewVersionOfTheSameKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String newVersion = vault.newVersion();
        assertThat(newVersion).isNotEqualTo(vault.keyUrl());

        assertCustomerManaged(
                order, order.changeKey(newVersion, vault.resourceId()), newVersion, vault.resourceId(), false);
    }

    @Test
    void changesToAnotherKeyInTheSameVault() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String other = vault.newKey("RSA", 2048);

        Response changed = order.changeKey(other, vault.resourceId());
        changed.then()
                .statusCode(200)
                .body(
                        "keyEncryptionKey.identityProperties.userAssigned.resourceId",
                        equalTo(vault.identity().resourceId()));
        assertCustomerManaged(order, changed, other, vault.resourceId(), false);
    }

    @Test
    void changesToAKeyInAnotherVault() {
        CustomerKeyVault first = CustomerKeyVault.create();
        CustomerKeyVault second = CustomerKeyVault.create(first.identity());
        CmkOrder order = CmkOrder.create().enableUserAssigned(first);

        assertCustomerManaged(
                order,
                order.changeKey(second.keyUrl(), second.resourceId()),
                second.keyUrl(),
                second.resourceId(),
                false);

        // The first vault is no longer needed at all.
        first.setPermissions(first.identity().principalId());
        order.assertPasswordKept();
    }

    @Test
    void disablingTheOldKeyVersionAfterAChangeKeepsTheOrderWorking() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String newVersion = vault.newVersion();
        order.changeKey(newVersion, vault.resourceId()).then().statusCode(200);

        admin().updateKey(vault.name(), vault.keyName(), vault.keyVersion(), false, null, null);

        order.assertPasswordKept();
        order.moveTo("DataCopy").then().statusCode(200).body("stage", equalTo("DataCopy"));
        order.assertPasswordKept();
    }

    @Test
    void disablingAnotherOldKeyAfterChangingKeysKeepsTheOrderWorking() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String other = vault.newKey("RSA", 3072);
        order.changeKey(other, vault.resourceId()).then().statusCode(200);

        admin().updateKey(vault.name(), vault.keyName(), vault.keyVersion(), false, null, null);

        order.assertPasswordKept();
    }

    @Test
    void changesIdentityFromUserAssignedToSystemAssignedAndBack() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create();
        String system = order.attachSystemAndUserAssigned(vault.identity());
        vault.grant(system, CustomerKeyVault.ALL_KEY_PERMISSIONS);
        order.enable(vault).then().statusCode(200);

        Response toSystem = order.changeIdentity(systemAssigned());
        toSystem.then()
                .statusCode(200)
                .body("keyEncryptionKey.identityProperties.type", equalTo("SystemAssigned"))
                .body("keyEncryptionKey.identityProperties.userAssigned", nullValue());
        assertCustomerManaged(order, toSystem, vault.keyUrl(), vault.resourceId(), false);

        // The user-assigned identity is not needed any more.
        vault.setPermissions(vault.identity().principalId());
        order.assertPasswordKept();
        vault.grant(vault.identity().principalId(), CustomerKeyVault.ALL_KEY_PERMISSIONS);

        Response back = order.changeIdentity(userAssigned(vault.identity().resourceId()));
        back.then()
                .statusCode(200)
                .body("keyEncryptionKey.identityProperties.type", equalTo("UserAssigned"))
                .body(
                        "keyEncryptionKey.identityProperties.userAssigned.resourceId",
                        equalTo(vault.identity().resourceId()));
        assertCustomerManaged(order, back, vault.keyUrl(), vault.resourceId(), false);

        vault.setPermissions(system);
        order.assertPasswordKept();
    }

    @Test
    void changesToAnotherUserAssignedIdentity() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        IdentityInfo second = CustomerKeyVault.newIdentity();
        vault.grant(second.principalId(), CustomerKeyVault.ALL_KEY_PERMISSIONS);
        CmkOrder order = CmkOrder.create().attach(vault.identity(), second);
        order.enable(vault).then().statusCode(200);

        Response changed = order.changeIdentity(userAssigned(second.resourceId()));
        changed.then()
                .statusCode(200)
                .body("keyEncryptionKey.identityProperties.userAssigned.resourceId", equalTo(second.resourceId()));
        assertCustomerManaged(order, changed, vault.keyUrl(), vault.resourceId(), false);
        vault.setPermissions(vault.identity().principalId());
        order.assertPasswordKept();
    }

    /**
     * An order on a versionless URL changes identity after a new version appeared: the change proves the newest
     * version, moves the order there and tells the tenant's Logic App, as the audit's rotation does.
     */
    @Test
    void changingIdentityOfAnAutoRotationOrderMovesItToTheNewestVersionAndSaysSo() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        IdentityInfo second = CustomerKeyVault.newIdentity();
        vault.grant(second.principalId(), CustomerKeyVault.ALL_KEY_PERMISSIONS);
        String first = vault.newVersion();
        CmkOrder order = CmkOrder.create().attach(vault.identity(), second);
        order.enable(CmkOrder.enableBodyFollowingVersions(vault))
                .then()
                .statusCode(200)
                .body("keyEncryptionKey.kekUrl", equalTo(first));
        String newest = vault.newVersion();
        FunctionsHost.takeEvents();

        Response changed = order.changeIdentity(userAssigned(second.resourceId()));

        assertCustomerManaged(order, changed, newest, vault.resourceId(), true);
        assertThat(FunctionsHost.takeEventsOf(order.name())).singleElement().satisfies(e -> {
            assertThat(e.path("type").asText()).isEqualTo("DataBox.Cmk.KeyVersionRotated");
            assertThat(e.path("data").path("kekUrl").asText()).isEqualTo(newest);
            assertThat(e.path("data").path("previousKekUrl").asText()).isEqualTo(first);
            assertThat(e.toString()).doesNotContain(order.password());
        });
    }

    @Test
    void revertsToTheMicrosoftManagedKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);

        Response reverted = order.useMicrosoftKey();
        reverted.then()
                .statusCode(200)
                .body("keyEncryptionKey.kekType", equalTo("MicrosoftManaged"))
                .body("keyEncryptionKey.kekUrl", nullValue())
                .body("keyEncryptionKey.kekVaultResourceID", nullValue())
                .body("keyEncryptionKey.identityProperties", nullValue());
        assertThat(reverted.header("ETag")).isEqualTo(reverted.<String>path("etag"));
        assertThat(order.storedWrappedKeyId()).matches(String.format(VERSIONED_KEY, LocalStack.MICROSOFT_KEY));

        // The customer's vault no longer matters.
        vault.setPermissions(vault.identity().principalId());
        order.assertPasswordKept();
    }

    @Test
    void aVersionlessUrlResolvesToTheCurrentVersionAndTurnsOnAutoRotation() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String current = vault.newVersion();
        CmkOrder order = CmkOrder.create().attach(vault.identity());

        Response enabled = order.enable(CmkOrder.enableBodyFollowingVersions(vault));
        assertThat(enabled.<String>path("keyEncryptionKey.kekUrl"))
                .matches(String.format(VERSIONED_KEY, vault.keyName()));
        assertCustomerManaged(order, enabled, current, vault.resourceId(), true);

        // A versioned URL afterwards turns auto-rotation off again.
        String newest = vault.newVersion();
        assertCustomerManaged(order, order.changeKey(newest, vault.resourceId()), newest, vault.resourceId(), false);
    }

    @Test
    void createsAnOrderDirectlyWithACustomerManagedKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String id = vault.identity().resourceId();
        String name = CmkOrder.newName();
        Map<String, Object> body = Map.of(
                "location", "westus",
                "identity", Map.of("type", "UserAssigned", "userAssignedIdentities", Map.of(id, Map.of())),
                "keyEncryptionKey",
                        Map.of(
                                "kekType",
                                "CustomerManaged",
                                "kekUrl",
                                vault.keyUrl(),
                                "identityProperties",
                                userAssigned(id)));

        Response created = CmkOrder.createWithCustomerKey(name, body);
        created.then()
                .statusCode(201)
                .body("keyEncryptionKey.kekType", equalTo("CustomerManaged"))
                .body("keyEncryptionKey.kekUrl", equalTo(vault.keyUrl()))
                .body("keyEncryptionKey.identityProperties.userAssigned.resourceId", equalTo(id))
                .body(
                        "identity.userAssignedIdentities.'" + id + "'.principalId",
                        equalTo(vault.identity().principalId()));
        CmkOrder order = CmkOrder.existing(name);
        assertThat(order.storedWrappedKeyId()).isEqualTo(vault.keyUrl());
        assertThat(admin().requests(vault.name()).of("unwrapKey"))
                .as("unwrapKey calls to the customer vault")
                .isPositive();
        order.assertPasswordKept();
    }

    /**
     * A flow that copies an order's {@code keyEncryptionKey} into the creation of another: the answer's version with
     * {@code autoRotation} is used and the key followed from there, as the first order is (rv10 L1 of 2026-12-07:
     * refused as unknown).
     */
    @Test
    void createsAnOrderWithTheKeyEncryptionKeyCopiedFromAnotherOrder() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder first = CmkOrder.create().enableFollowingVersions(vault);
        Map<String, Object> copied = first.get().path("keyEncryptionKey");
        assertThat(copied).containsEntry("autoRotation", true).containsKey("kekVaultResourceID");
        String id = vault.identity().resourceId();
        String name = CmkOrder.newName();
        Response created = CmkOrder.createWithCustomerKey(
                name,
                Map.of(
                        "location",
                        "westus",
                        "identity",
                        Map.of("type", "UserAssigned", "userAssignedIdentities", Map.of(id, Map.of())),
                        "keyEncryptionKey",
                        copied));
        created.then()
                .statusCode(201)
                .body("keyEncryptionKey.kekUrl", equalTo(copied.get("kekUrl")))
                .body("keyEncryptionKey.autoRotation", equalTo(true))
                .body("keyEncryptionKey.identityProperties", equalTo(copied.get("identityProperties")));
        CmkOrder.existing(name).assertPasswordKept();
    }

    @Test
    void dataCopyUnwrapsWithTheCustomerKeyAndWaitsWithoutUnwrapKeyKeepingTheKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        order.moveTo("AtAzureDC").then().statusCode(200);
        vault.setPermissions(vault.identity().principalId(), "get", "wrapKey");
        CmkOrder.Snapshot before = order.snapshot();

        assertError(order.moveTo("DataCopy"), 400, "SsemUserErrorKeyVaultBadRequestException", "unwrapKey");
        // The order stays in its stage and waits for the customer (issue 11): the key itself is untouched.
        CmkOrder.Snapshot held = order.snapshot();
        assertThat(held.stage()).isEqualTo("AtAzureDC");
        assertThat(held.keyEncryptionKey()).isEqualTo(before.keyEncryptionKey());
        assertThat(held.wrappedKey()).isEqualTo(before.wrappedKey());
        order.get().then().body("stageStatus", equalTo("WaitingForCustomerActionForKek"));

        vault.grant(vault.identity().principalId(), CustomerKeyVault.ALL_KEY_PERMISSIONS);
        order.moveTo("DataCopy").then().statusCode(200).body("stage", equalTo("DataCopy"));
        order.assertPasswordKept();
    }
}
