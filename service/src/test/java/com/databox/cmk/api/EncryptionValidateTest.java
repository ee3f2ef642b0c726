package com.databox.cmk.api;

import static com.databox.cmk.testing.CmkOrder.enableBody;
import static com.databox.cmk.testing.CmkOrder.userAssigned;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validation report: every check that can run runs, and only a check of the current configuration records keyHealth. */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class EncryptionValidateTest {

    private static final List<String> CHECKS = List.of(
            "keyUrl",
            "identity",
            "keyType",
            "recoveryLevel",
            "keyEnabled",
            "permissionGet",
            "permissionWrapKey",
            "permissionUnwrapKey");

    private static Map<String, Object> check(Response report, String name) {
        List<Map<String, Object>> checks = report.path("checks");
        return checks.stream()
                .filter(c -> name.equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + report.asString()));
    }

    private static void assertFailed(Response report, String name, String errorCode) {
        Map<String, Object> check = check(report, name);
        assertThat(check)
                .as(name + " in " + report.asString())
                .containsEntry("status", "Failed")
                .containsEntry("errorCode", errorCode);
        assertThat((String) check.get("message")).as(name + " message").isNotBlank();
        assertThat((String) check.get("resolution")).as(name + " resolution").isNotBlank();
    }

    @Test
    void theCurrentHealthyConfigurationPassesEveryCheckAndIsRecordedHealthy() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);

        Response report = order.validate();
        report.then().statusCode(200).body("valid", equalTo(true)).body("kekUrl", equalTo(vault.keyUrl()));
        // As a generated Java client sends "no proposal": a JSON null body, which was refused with 400.
        given().contentType(ContentType.JSON)
                .body("null")
                .post("/api/orders/{name}/encryption/validate", order.name())
                .then()
                .statusCode(200)
                .body("valid", equalTo(true))
                .body("kekUrl", equalTo(vault.keyUrl()));
        List<String> names = report.path("checks.name");
        assertThat(names).containsAll(CHECKS).doesNotHaveDuplicates();
        assertThat(report.<List<String>>path("checks.status"))
                .as(report.asString())
                .containsOnly("Passed");

        order.get()
                .then()
                .statusCode(200)
                .body("keyHealth.status", equalTo("Healthy"))
                .body("keyHealth.lastCheckedAt", notNullValue());
        order.assertPasswordKept();
    }

    /**
     * A typescript-axios client generated from the app's document (openapi-generator 7.25.0) sends an absent
     * optional body as {@code {}} (common.ts serializeDataIfNeeded: JSON.stringify(value ?? {})), so its
     * validateEncryption(name) asks about the current configuration with an empty object: no proposal either.
     */
    @Test
    void anEmptyObjectIsNoProposalAsATypescriptAxiosClientSendsIt() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/api/orders/{name}/encryption/validate", order.name())
                .then()
                .statusCode(200)
                .body("valid", equalTo(true))
                .body("kekUrl", equalTo(vault.keyUrl()));
    }

    /**
     * Validate's body is read as the other routes' are (the HTTP bug bash, 2026-12-05, F17): a UTF-8 byte order
     * mark before JSON is taken (it was 400), and a body that is not UTF-8 is refused (it was read, its bad bytes
     * replaced).
     */
    @Test
    void aBodyIsReadAsTheOtherRoutesRead() {
        CmkOrder order = CmkOrder.create();
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        given().contentType(ContentType.JSON)
                .body(concat(bom, "null".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .post("/api/orders/{name}/encryption/validate", order.name())
                .then()
                .statusCode(200)
                .body("valid", equalTo(true));
        byte[] notUtf8 = concat(
                "{\"kekUrl\":\"https://x.vault.azure.net/keys/k\u00e9"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28},
                "\",\"identityProperties\":{\"type\":\"SystemAssigned\"}}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        given().contentType(ContentType.JSON)
                .body(notUtf8)
                .post("/api/orders/{name}/encryption/validate", order.name())
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"))
                .body("error.target", equalTo("body"));
        // Bytes the JSON reader takes for UTF-32 and cannot decode: a client's mistake, never a 500 (the reader's
        // CharConversionException is no JsonProcessingException).
        byte[] badUtf32 = {0, 0, 0, '{', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        given().contentType(ContentType.JSON)
                .body(badUtf32)
                .post("/api/orders/{name}/encryption/validate", order.name())
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"))
                .body("error.target", equalTo("body"));
        given().contentType(ContentType.JSON)
                .body(badUtf32)
                .post("/api/orders/{name}/encryption/enable", order.name())
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** An order on the Microsoft-managed key is checked against the service's key, whose URL it is not shown. */
    @Test
    void aMicrosoftManagedOrderPassesItsChecksWithoutShowingTheServicesKey() {
        CmkOrder order = CmkOrder.create();

        Response report = order.validate();
        report.then().statusCode(200).body("valid", equalTo(true)).body("kekUrl", nullValue());
        assertThat(report.<List<String>>path("checks.name")).containsAll(CHECKS);
        assertThat(report.asString()).doesNotContain(LocalStack.MICROSOFT_KEY);
        order.assertPasswordKept();
    }

    @Test
    void revokingWrapKeyFailsThatCheckAndRecordsAccessLost() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        vault.setPermissions(vault.identity().principalId(), "get", "unwrapKey");

        Response report = order.validate();
        report.then().statusCode(200).body("valid", equalTo(false));
        assertFailed(report, "permissionWrapKey", "SsemUserErrorKeyVaultBadRequestException");
        assertThat(check(report, "permissionGet")).containsEntry("status", "Passed");
        assertThat(check(report, "keyType")).containsEntry("status", "Passed");
        assertThat(check(report, "keyEnabled")).containsEntry("status", "Passed");
        assertThat(check(report, "recoveryLevel")).containsEntry("status", "Passed");

        order.get()
                .then()
                .statusCode(200)
                .body("keyHealth.status", equalTo("AccessLost"))
                .body("keyHealth.errorCode", equalTo("SsemUserErrorKeyVaultBadRequestException"))
                .body("keyHealth.lastCheckedAt", notNullValue());

        // Granting it again and validating records the order healthy again.
        vault.grant(vault.identity().principalId(), CustomerKeyVault.ALL_KEY_PERMISSIONS);
        order.validate().then().statusCode(200).body("valid", equalTo(true));
        order.get().then().body("keyHealth.status", equalTo("Healthy"));
        order.assertPasswordKept();
    }

    @Test
    void aProposalWithASmallKeyAndNoWrapKeyReportsBothFailuresAndChangesNothing() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String small = vault.newKey("RSA", 1024);
        IdentityInfo weak = CustomerKeyVault.newIdentity();
        vault.grant(weak.principalId(), "get", "unwrapKey");
        CmkOrder order = CmkOrder.create().attach(weak);
        CmkOrder.Snapshot before = order.snapshot();

        Response report = order.validate(enableBody(small, vault.resourceId(), userAssigned(weak.resourceId())));
        report.then().statusCode(200).body("valid", equalTo(false)).body("kekUrl", equalTo(small));
        assertFailed(report, "keyType", "SsemUserErrorEncryptionKeyTypeNotSupported");
        assertFailed(report, "permissionWrapKey", "SsemUserErrorKeyVaultBadRequestException");
        assertThat(check(report, "keyUrl")).containsEntry("status", "Passed");
        assertThat(check(report, "permissionGet")).containsEntry("status", "Passed");

        order.assertUnchangedSince(before);
    }

    @Test
    void aValidProposalIsReportedValidAndChangesNothing() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        CmkOrder.Snapshot before = order.snapshot();

        Response report = order.validate(CmkOrder.enableBodyFollowingVersions(vault));
        report.then().statusCode(200).body("valid", equalTo(true));
        // The contract does not say whether a proposal's versionless URL is shown resolved.
        assertThat(report.<String>path("kekUrl")).isIn(vault.keyUrl(), vault.versionlessKeyUrl());
        assertThat(report.<List<String>>path("checks.status"))
                .as(report.asString())
                .containsOnly("Passed");

        order.assertUnchangedSince(before);
        assertThat(before.keyEncryptionKey()).containsEntry("kekType", "MicrosoftManaged");
    }

    /**
     * The original contract: every route that may change the order takes {@code If-Match}, and a stale one answers
     * {@code 412} and changes nothing. {@code validate} writes the key health it finds; it ignored the header, wrote
     * {@code AccessLost} and published its event (bug bash of 2026-12-06, bb92 H2). The order's own ETag is a
     * precondition met.
     */
    @Test
    void aStaleIfMatchAnswers412AndChangesNothing() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        vault.setPermissions(vault.identity().principalId(), "get", "unwrapKey");
        CmkOrder.Snapshot before = order.snapshot();

        CmkOrder.encryptionRequest(order.name(), "validate", null, "W/\"datetime'2020-01-01T00%3A00%3A00Z'\"")
                .then()
                .statusCode(412)
                .body("error.code", equalTo("PreconditionFailed"));
        order.assertUnchangedSince(before);

        CmkOrder.encryptionRequest(order.name(), "validate", null, before.etag())
                .then()
                .statusCode(200)
                .body("valid", equalTo(false));
        assertThat(order.get().<String>path("keyHealth.status")).isEqualTo("AccessLost");
    }
}
