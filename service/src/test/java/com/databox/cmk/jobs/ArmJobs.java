package com.databox.cmk.jobs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.testing.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Microsoft.DataBox/jobs requests of one test: its own subscription and resource group, so that
 * tests never see each other's jobs. Paths are as the Functions host serves them (under /api).
 */
final class ArmJobs {
    static final String V2020 = "2020-11-01";
    static final String V2025 = "2025-02-01";

    final String subscription = UUID.randomUUID().toString();
    final String resourceGroup = "rg-" + UUID.randomUUID().toString().substring(0, 8);

    /** A new subscription and resource group, in which the tests' default caller may create jobs (Contributor). */
    ArmJobs() {
        grantJobs(LocalStack.CALLER_OID, subscription);
    }

    /**
     * {@code principal} holds Contributor on the subscription, so Microsoft.DataBox/jobs/write in each of
     * its resource groups, as ARM requires before a subscription's first job; and the service's own
     * identity may read the subscription's role assignments (Reader), as a customer gives it to check
     * that (docs/SECURITY.md).
     */
    static void grantJobs(String principal, String subscription) {
        EmulatorTestSupport.admin().assignRole(principal, "/subscriptions/" + subscription, "Contributor");
        letTheServiceRead(subscription);
    }

    static void letTheServiceRead(String subscription) {
        EmulatorTestSupport.admin()
                .assignRole(EmulatorTestSupport.shared().appPrincipalId(), "/subscriptions/" + subscription, "Reader");
    }

    String jobPath(String name) {
        return "/api/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.DataBox/jobs/" + name;
    }

    static String newName() {
        return "job_" + UUID.randomUUID().toString().substring(0, 8) + ".t";
    }

    static RequestSpecification json(Object body) {
        return given().contentType(ContentType.JSON).body(body);
    }

    Response put(String name, Object body, String version) {
        return json(body).queryParam("api-version", version).put(jobPath(name));
    }

    Response patch(String name, Object body, String version, String ifMatch) {
        RequestSpecification request = json(body).queryParam("api-version", version);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.patch(jobPath(name));
    }

    /** Cancels the job with {@code reason}, in the spec's oldest version this surface serves. */
    Response cancel(String name, String reason) {
        return json(Map.of("reason", reason)).queryParam("api-version", V2020).post(jobPath(name) + "/cancel");
    }

    Response get(String name, String expand) {
        RequestSpecification request = given().queryParam("api-version", V2025);
        if (expand != null) {
            request.queryParam("$expand", expand);
        }
        return request.get(jobPath(name));
    }

    Response listCredentials(String name) {
        return given().queryParam("api-version", V2020).post(jobPath(name) + "/listCredentials");
    }

    /** Follows a link the service gave (already encoded, with its api-version). */
    static Response follow(String link) {
        return given().urlEncodingEnabled(false).get(link);
    }

    /** A JobResource body as the spec's JobsCreate example has it, with unmodelled details and what the test adds. */
    static Map<String, Object> jobBody(Map<String, Object> identity, Map<String, Object> keyEncryptionKey) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jobDetailsType", "DataBox");
        details.put(
                "contactDetails",
                Map.of(
                        "contactName",
                        "Ada Lovelace",
                        "phone",
                        "0000000000",
                        "emailList",
                        List.of("ada@example.com"),
                        "x-unmodelled",
                        Map.of("nested", List.of(1, 2, 3))));
        details.put(
                "shippingAddress",
                Map.of(
                        "streetAddress1",
                        "1 Main St",
                        "city",
                        "Redmond",
                        "country",
                        "US",
                        "postalCode",
                        "98052",
                        "stateOrProvince",
                        "WA",
                        "addressType",
                        "Commercial"));
        details.put(
                "dataImportDetails",
                List.of(Map.of(
                        "accountDetails",
                        Map.of(
                                "dataAccountType",
                                "StorageAccount",
                                "storageAccountId",
                                "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z"))));
        if (keyEncryptionKey != null) {
            details.put("keyEncryptionKey", keyEncryptionKey);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("transferType", "importtoazure");
        properties.put("details", details);
        properties.put("deliveryType", "NonScheduled");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("location", "westus");
        body.put("tags", Map.of("team", "data"));
        body.put("sku", Map.of("name", "databox"));
        if (identity != null) {
            body.put("identity", identity);
        }
        body.put("properties", properties);
        return body;
    }

    static Map<String, Object> userAssignedIdentity(String resourceId) {
        Map<String, Object> users = new LinkedHashMap<>();
        users.put(resourceId, Map.of());
        return Map.of("type", "UserAssigned", "userAssignedIdentities", users);
    }

    static Map<String, Object> customerKey(String kekUrl, String vaultId, String userAssignedId) {
        Map<String, Object> kek = new LinkedHashMap<>();
        kek.put("kekType", "customermanaged");
        kek.put("kekUrl", kekUrl);
        kek.put("kekVaultResourceID", vaultId);
        kek.put(
                "identityProperties",
                userAssignedId == null
                        ? Map.of("type", "systemassigned")
                        : Map.of("type", "userassigned", "userAssigned", Map.of("resourceId", userAssignedId)));
        return kek;
    }

    static Map<String, Object> patchKey(Map<String, Object> keyEncryptionKey) {
        return Map.of("properties", Map.of("details", Map.of("keyEncryptionKey", keyEncryptionKey)));
    }

    /** ARM's error envelope with {@code code}: code, message, target and a details array. */
    static void assertArmError(Response response, int status, String code) {
        String body = response.asString();
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(response.contentType()).as(body).isEqualTo("application/json; charset=utf-8");
        assertThat(response.<String>path("error.code")).as(body).isEqualTo(code);
        assertThat(response.<String>path("error.message")).as(body).isNotBlank();
        assertThat(response.<List<Object>>path("error.details")).as(body).isNotNull();
        assertThat(body).as(body).contains("\"target\"").doesNotContain("\tat ");
    }
}
