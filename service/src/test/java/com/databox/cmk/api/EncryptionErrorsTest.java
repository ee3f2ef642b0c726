package com.databox.cmk.api;

import static com.databox.cmk.testing.CmkOrder.assertError;
import static com.databox.cmk.testing.CmkOrder.enableBody;
import static com.databox.cmk.testing.CmkOrder.systemAssigned;
import static com.databox.cmk.testing.CmkOrder.userAssigned;
import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One test per key and identity row of the contract's error table: the code, a message that names
 * the cause, and the order exactly as it was (ETag, configuration, stored wrapped key, password).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class EncryptionErrorsTest {

    private static final String KEY_VAULT_BAD_REQUEST = "SsemUserErrorKeyVaultBadRequestException";

    /** Enables {@code kekUrl} of {@code vault} with the vault's own identity, attached to a new order. */
    private static void assertEnableRefused(CustomerKeyVault vault, String kekUrl, String code, String... named) {
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        CmkOrder.Snapshot before = order.snapshot();
        Response response = order.enable(enableBody(
                kekUrl, vault.resourceId(), userAssigned(vault.identity().resourceId())));
        assertError(response, 400, code, named);
        order.assertUnchangedSince(before);
    }

    @Test
    void enableRefusesKeyUnder2048Bits() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String small = vault.newKey("RSA", 1024);
        assertEnableRefused(vault, small, "SsemUserErrorEncryptionKeyTypeNotSupported", small, "2048");
    }

    @Test
    void changeKeyRefusesAnEllipticCurveKeyAndKeepsTheCurrentKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String ec = vault.newKey("EC", 0);
        CmkOrder.Snapshot before = order.snapshot();

        assertError(order.changeKey(ec, vault.resourceId()), 400, "SsemUserErrorEncryptionKeyTypeNotSupported", ec);
        order.assertUnchangedSince(before);
        assertThat(before.keyEncryptionKey()).containsEntry("kekUrl", vault.keyUrl());
    }

    @Test
    void enableRefusesVaultWithoutPurgeProtection() {
        CustomerKeyVault vault = CustomerKeyVault.create(
                CustomerKeyVault.newIdentity(), CustomerKeyVault.defaultTenantId(), true, false, false);
        assertEnableRefused(
                vault,
                vault.keyUrl(),
                "SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled",
                vault.vaultUrl(),
                "purge");
    }

    @Test
    void enableRefusesIdentityWithoutWrapKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        vault.setPermissions(vault.identity().principalId(), "get", "unwrapKey");
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        CmkOrder.Snapshot before = order.snapshot();

        Response response = order.enable(vault);
        assertError(response, 400, KEY_VAULT_BAD_REQUEST);
        assertThat(response.<String>path("error.message"))
                .as("names the refused permission")
                .containsPattern("(?i)(?<!un)wrapKey");
        order.assertUnchangedSince(before);
    }

    @Test
    void enableRefusesIdentityWithoutUnwrapKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        vault.setPermissions(vault.identity().principalId(), "get", "wrapKey");
        assertEnableRefused(vault, vault.keyUrl(), KEY_VAULT_BAD_REQUEST, "unwrapKey");
    }

    @Test
    void enableRefusesDisabledKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        admin().updateKey(vault.name(), vault.keyName(), vault.keyVersion(), false, null, null);
        assertEnableRefused(vault, vault.keyUrl(), "SsemUserErrorEncryptionKeyDisabled", vault.keyUrl());
    }

    @Test
    void enableRefusesExpiredKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        vault.expireKeyVersion();
        assertEnableRefused(vault, vault.keyUrl(), "SsemUserErrorEncryptionKeyExpired", vault.keyUrl());
    }

    @Test
    void changeKeyRefusesSoftDeletedKeyAndSaysUntilWhenItCanBeRecovered() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String other = vault.newKey("RSA", 3072);
        String otherName = CustomerKeyVault.keyNameOf(other);
        admin().deleteKey(vault.name(), otherName);
        CmkOrder.Snapshot before = order.snapshot();

        Response response = order.changeKey(other, vault.resourceId());
        // Deleted now with 90 days of retention: recoverable until a date about 90 days ahead.
        String recoverableYear =
                Integer.toString(LocalDate.now(ZoneOffset.UTC).plusDays(90).getYear());
        assertError(response, 400, "SsemUserErrorKeyDetailsNotFound", otherName, "recover", recoverableYear);
        order.assertUnchangedSince(before);
    }

    @Test
    void enableRefusesKeyInDeletedVault() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        admin().deleteVault(vault.name());
        CmkOrder.Snapshot before = order.snapshot();

        assertError(order.enable(vault), 400, "SsemUserErrorKeyVaultDetailsNotFound", vault.vaultUrl());
        order.assertUnchangedSince(before);
    }

    @Test
    void enableRefusesVaultBehindFirewall() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        admin().createVault(vault.name(), null, true, true, 90, true);
        assertEnableRefused(vault, vault.keyUrl(), KEY_VAULT_BAD_REQUEST, "firewall");
    }

    @Test
    void enableRefusesVaultInAnotherTenant() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        admin().moveVault(vault.name(), UUID.randomUUID().toString());
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        CmkOrder.Snapshot before = order.snapshot();

        Response response = order.enable(vault);
        assertError(response, 400, "SsemUserErrorCrossTenantIdentityAccessForbidden");
        assertThat(response.<String>path("error.message"))
                .as("names the identity or the vault")
                .satisfiesAnyOf(
                        m -> assertThat(m).contains(vault.identity().resourceId()),
                        m -> assertThat(m).contains(vault.vaultUrl()));
        order.assertUnchangedSince(before);
    }

    @Test
    void enableRefusesDeletedIdentity() {
        // A fresh identity: MSAL caches tokens per JVM, so only the directory can tell that it is gone.
        IdentityInfo identity = CustomerKeyVault.newIdentity();
        CustomerKeyVault vault = CustomerKeyVault.create(identity);
        CmkOrder order = CmkOrder.create().attach(identity);
        admin().deleteIdentity(identity.name());
        CmkOrder.Snapshot before = order.snapshot();

        assertError(order.enable(vault), 400, "SsemUserErrorKekUserIdentityNotFound", identity.resourceId());
        order.assertUnchangedSince(before);
    }

    @Test
    void enableRefusesUserAssignedIdentityNotAttachedToTheOrder() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().attach(CustomerKeyVault.newIdentity());
        CmkOrder.Snapshot before = order.snapshot();

        assertError(
                order.enable(vault),
                400,
                "SsemUserErrorUserAssignedIdentityAbsent",
                vault.identity().resourceId());
        order.assertUnchangedSince(before);
    }

    @Test
    void changeIdentityRefusesSystemAssignedWhenTheOrderHasNone() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        CmkOrder.Snapshot before = order.snapshot();

        assertError(order.changeIdentity(systemAssigned()), 400, "SsemUserErrorSystemAssignedIdentityAbsent", "system");
        order.assertUnchangedSince(before);
    }

    @Test
    void enableRefusesSystemAssignedWhenTheOrderHasNone() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create();
        CmkOrder.Snapshot before = order.snapshot();

        assertError(
                order.enable(enableBody(vault.keyUrl(), vault.resourceId(), systemAssigned())),
                400,
                "SsemUserErrorSystemAssignedIdentityAbsent",
                "system");
        order.assertUnchangedSince(before);
    }

    @Test
    void enableRefusesHttpUrlWithoutCallingTheVault() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String http = vault.keyUrl().replace("https://", "http://");
        long callsBefore = admin().requests(vault.name()).total();
        assertEnableRefused(vault, http, "SsemUserErrorKeyVaultUrlWithInvalidScheme", http);
        assertThat(admin().requests(vault.name()).total())
                .as("calls to the vault")
                .isEqualTo(callsBefore);
    }

    @Test
    void aRefusedUrlCallsNoVaultAtAllNotEvenTheOneProtectingTheOrderNow() {
        CustomerKeyVault current = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(current);
        long callsBefore = admin().requests(current.name()).total();
        order.changeKey("https://169.254.169.254/keys/k", null)
                .then()
                .statusCode(400)
                .body("error.code", org.hamcrest.Matchers.equalTo("SsemUserErrorKeyVaultUrlInvalidHost"));
        order.changeKey(current.keyUrl().replace("https://", "http://"), null)
                .then()
                .statusCode(400);
        assertThat(admin().requests(current.name()).total())
                .as("calls to the order's current vault")
                .isEqualTo(callsBefore);
    }

    @Test
    void enableRefusesHostOutsideTheAllowList() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        assertEnableRefused(
                vault,
                "https://contoso.example.com/keys/k",
                "SsemUserErrorKeyVaultUrlInvalidHost",
                "contoso.example.com");
    }

    /** API.md bounds kekUrl at 2,048 characters: one more is refused as such, before any vault is called. */
    @Test
    void enableRefusesAKekUrlOneCharacterOver2048WithoutCallingTheVault() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String prefix = vault.vaultUrl() + "/keys/";
        String tooLong = prefix + "k".repeat(2049 - prefix.length());
        long callsBefore = admin().requests(vault.name()).total();
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        CmkOrder.Snapshot before = order.snapshot();

        Response response = order.enable(enableBody(
                tooLong, vault.resourceId(), userAssigned(vault.identity().resourceId())));

        assertError(response, 400, "InvalidRequest", "too long");
        assertThat(response.<String>path("error.target")).isEqualTo("kekUrl");
        order.assertUnchangedSince(before);
        assertThat(admin().requests(vault.name()).total())
                .as("calls to the vault")
                .isEqualTo(callsBefore);
    }

    @Test
    void enableRefusesUrlsThatAreNotKeyUrls() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        long callsBefore = admin().requests(vault.name()).total();
        for (String url :
                List.of("https://contoso.vault.azure.net/secrets/x", "not a url", vault.vaultUrl() + "/secrets/x")) {
            assertEnableRefused(vault, url, "SsemUserErrorInvalidKeyVaultUrl", url);
        }
        assertThat(admin().requests(vault.name()).total())
                .as("calls to the vault")
                .isEqualTo(callsBefore);
    }

    @Test
    void everyEncryptionChangeOfACancelledOrderAnswersOrderInTerminalStage() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        order.moveTo("Cancelled").then().statusCode(200);
        CmkOrder.Snapshot before = order.snapshot();

        assertError(order.enable(vault), 409, "OrderInTerminalStage");
        assertError(order.changeKey(vault.keyUrl(), vault.resourceId()), 409, "OrderInTerminalStage");
        assertError(order.changeIdentity(userAssigned(vault.identity().resourceId())), 409, "OrderInTerminalStage");
        assertError(order.useMicrosoftKey(), 409, "OrderInTerminalStage");
        order.assertUnchangedSince(before);
    }

    @Test
    void encryptionRoutesAnswerOrderNotFoundForAnUnknownOrder() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String unknown = CmkOrder.newName();
        Map<String, Object> enable = enableBody(
                vault.keyUrl(),
                vault.resourceId(),
                userAssigned(vault.identity().resourceId()));
        assertError(CmkOrder.encryptionRequest(unknown, "enable", enable, null), 404, "OrderNotFound");
        assertError(
                CmkOrder.encryptionRequest(unknown, "change-key", CmkOrder.changeKeyBody(vault.keyUrl(), null), null),
                404,
                "OrderNotFound");
        assertError(
                CmkOrder.encryptionRequest(
                        unknown, "change-identity", Map.of("identityProperties", systemAssigned()), null),
                404,
                "OrderNotFound");
        assertError(CmkOrder.encryptionRequest(unknown, "use-microsoft-key", null, null), 404, "OrderNotFound");
        assertError(CmkOrder.encryptionRequest(unknown, "validate", null, null), 404, "OrderNotFound");
    }

    @Test
    void enableWithAStaleIfMatchAnswers412AndChangesNothing() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create();
        String stale = order.get().path("etag");
        order.attach(vault.identity());
        CmkOrder.Snapshot before = order.snapshot();
        assertThat(before.etag()).isNotEqualTo(stale);

        Map<String, Object> body = enableBody(
                vault.keyUrl(),
                vault.resourceId(),
                userAssigned(vault.identity().resourceId()));
        assertError(order.enable(body, stale), 412, "PreconditionFailed");
        order.assertUnchangedSince(before);

        order.enable(body, before.etag()).then().statusCode(200);
        order.assertPasswordKept();
    }
}
