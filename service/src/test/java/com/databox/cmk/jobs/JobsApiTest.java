package com.databox.cmk.jobs;

import static com.databox.cmk.jobs.ArmJobs.V2020;
import static com.databox.cmk.jobs.ArmJobs.V2025;
import static com.databox.cmk.jobs.ArmJobs.assertArmError;
import static com.databox.cmk.jobs.ArmJobs.customerKey;
import static com.databox.cmk.jobs.ArmJobs.follow;
import static com.databox.cmk.jobs.ArmJobs.jobBody;
import static com.databox.cmk.jobs.ArmJobs.patchKey;
import static com.databox.cmk.jobs.ArmJobs.userAssignedIdentity;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Microsoft.DataBox/jobs over HTTP, as an ARM client sends it: api-version errors, the
 * spec's shapes with $expand=details, enums in any case, unmodelled properties kept as given,
 * the long-running PATCH (202, Azure-AsyncOperation, Location; 200 when already done), If-Match,
 * listCredentials, paging, app roles and ARM's error envelope.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class JobsApiTest {

    /** 2025-07-01, the latest stable version of the spec, is served as the others (Data Box spec bash F3: 400). */
    @Test
    void theLatestStableVersionOfTheSpecIsServed() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        String latest = "2025-07-01";
        arm.put(name, jobBody(null, null), latest).then().statusCode(200).body("name", equalTo(name));
        given().queryParam("api-version", latest)
                .get(arm.jobPath(name))
                .then()
                .statusCode(200)
                .body("name", equalTo(name));
        given().queryParam("api-version", latest)
                .get("/api/subscriptions/" + arm.subscription + "/resourceGroups/" + arm.resourceGroup
                        + "/providers/Microsoft.DataBox/jobs")
                .then()
                .statusCode(200)
                .body("value.name", hasItem(name));
        assertArmError(
                ArmJobs.json(Map.of("customerResolutionCode", "Resume"))
                        .queryParam("api-version", latest)
                        .post(arm.jobPath(name) + "/mitigate"),
                409,
                "MitigationNotRequired");
    }

    /** DATABOX-ARM-API.md: a finished job's jobStages[0].stageStatus is Data Box's; an aborted one's is Failed. */
    @Test
    void anAbortedJobsStageStatusIsFailed() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        CmkOrder.existing(new JobKey(arm.subscription, arm.resourceGroup, name).orderName())
                .moveTo("Aborted")
                .then()
                .statusCode(200);
        arm.get(name, "details")
                .then()
                .statusCode(200)
                .body("properties.status", equalTo("Aborted"))
                .body("properties.details.jobStages[0].stageName", equalTo("Aborted"))
                .body("properties.details.jobStages[0].stageStatus", equalTo("Failed"));
    }

    /** ARM's names are case-insensitive: listCredentials names the job as created, as GET does (spec bash F4). */
    @Test
    void listCredentialsNamesTheJobAsCreatedWhateverTheUrlsCase() {
        ArmJobs arm = new ArmJobs();
        String name = "Job-" + ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        arm.listCredentials(name.toLowerCase(java.util.Locale.ROOT))
                .then()
                .statusCode(200)
                .body("value[0].jobName", equalTo(name));
        given().queryParam("api-version", V2025)
                .get(arm.jobPath(name.toLowerCase(java.util.Locale.ROOT)))
                .then()
                .body("name", equalTo(name));
    }

    @Test
    void refusesRequestsWithoutOrWithAnUnknownApiVersion() {
        ArmJobs arm = new ArmJobs();
        assertArmError(given().get(arm.jobPath("job-1")), 400, "MissingApiVersionParameter");
        Response unknown = given().queryParam("api-version", "2019-09-01").get(arm.jobPath("job-1"));
        assertArmError(unknown, 400, "InvalidApiVersionParameter");
        assertThat(unknown.<String>path("error.message"))
                .contains("2020-11-01")
                .contains("2022-12-01")
                .contains("2025-02-01")
                .contains("2025-07-01");
        // mitigate is not part of 2020-11-01.
        assertArmError(
                ArmJobs.json(Map.of("customerResolutionCode", "Resume"))
                        .queryParam("api-version", V2020)
                        .post(arm.jobPath("job-1") + "/mitigate"),
                400,
                "InvalidApiVersionParameter");
        // A parameter named twice is refused, whichever value comes first: the first was taken (bug bash of
        // 2026-12-06, B5), so the same two values in the other order were answered otherwise.
        for (String query : List.of(
                "api-version=" + V2025 + "&api-version=2019-01-01",
                "api-version=2019-01-01&api-version=" + V2025,
                "api-version=" + V2025 + "&API-VERSION=2019-01-01",
                "API-VERSION=2019-01-01&api-version=" + V2025,
                "api-version=" + V2025 + "&$expand=details&$expand=details")) {
            assertArmError(
                    given().urlEncodingEnabled(false).get(arm.jobPath("job-1") + "?" + query),
                    400,
                    "InvalidRequestContent");
        }
        // Values as written: a version with white space around it is none, and every $expand item must be one
        // this surface has (it took 'details,foo', and 'details%00' trimmed of its control character).
        assertArmError(
                given().urlEncodingEnabled(false).get(arm.jobPath("job-1") + "?api-version=" + V2025 + "%20"),
                400,
                "InvalidApiVersionParameter");
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        for (String expand : List.of("details,foo", "details%00")) {
            assertArmError(
                    given().urlEncodingEnabled(false)
                            .get(arm.jobPath(name) + "?api-version=" + V2025 + "&$expand=" + expand),
                    400,
                    "InvalidRequestContent");
        }
        given().urlEncodingEnabled(false)
                .get(arm.jobPath(name) + "?api-version=" + V2025 + "&$expand=Details,%20details")
                .then()
                .statusCode(200);
    }

    @Test
    void createsAJobAndKeepsItsUnmodelledPropertiesAsGiven() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        Map<String, Object> body = jobBody(Map.of("type", "systemassigned"), null);
        Response created = arm.put(name, body, V2025);
        created.then()
                .statusCode(200)
                .body("id", equalTo(arm.jobPath(name).substring("/api".length())))
                .body("name", equalTo(name))
                .body("type", equalTo("Microsoft.DataBox/jobs"))
                .body("location", equalTo("westus"))
                .body("tags.team", equalTo("data"))
                .body("sku.name", equalTo("DataBox"))
                .body("identity.type", equalTo("SystemAssigned"))
                .body("properties.status", equalTo("DeviceOrdered"))
                .body("properties.transferType", equalTo("ImportToAzure"))
                .body("properties.deliveryType", equalTo("NonScheduled"))
                .body("properties.isCancellable", equalTo(true))
                // With its details, as the spec's Jobs_Create example answers (SDK bug bash of 2026-12-06, F3).
                .body("properties.details.contactDetails.contactName", equalTo("Ada Lovelace"))
                .body("properties.details.keyEncryptionKey.kekType", equalTo("MicrosoftManaged"))
                .body("systemData.createdByType", equalTo("User"));
        assertThat(created.<String>path("identity.principalId")).isNotBlank();
        // The system-assigned identity is made in the caller's tenant, as ARM reports it.
        assertThat(created.<String>path("identity.tenantId"))
                .isEqualTo(com.databox.cmk.testing.LocalStack.tenant().value());
        assertThat(created.header("ETag")).isNotBlank();

        // deliveryType's default, as the spec gives it, for a job created without one (bug bash F2).
        String undelivered = ArmJobs.newName();
        Map<String, Object> withoutDeliveryType = new java.util.LinkedHashMap<>(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties =
                new java.util.LinkedHashMap<>((Map<String, Object>) withoutDeliveryType.get("properties"));
        properties.remove("deliveryType");
        withoutDeliveryType.put("properties", properties);
        arm.put(undelivered, withoutDeliveryType, V2025).then().statusCode(200);
        arm.get(undelivered, null).then().statusCode(200).body("properties.deliveryType", equalTo("NonScheduled"));
        // The same PUT again, and one naming the default, describe the job as it is.
        arm.put(undelivered, withoutDeliveryType, V2025).then().statusCode(200);
        properties.put("deliveryType", "NonScheduled");
        arm.put(undelivered, withoutDeliveryType, V2025).then().statusCode(200);

        Response expanded = arm.get(name, "details");
        expanded.then()
                .statusCode(200)
                .body("properties.details.keyEncryptionKey.kekType", equalTo("MicrosoftManaged"));
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = (Map<String, Object>) ((Map<String, Object>) body.get("properties")).get("details");
        Map<String, Object> details = expanded.path("properties.details");
        for (String field : List.of("contactDetails", "shippingAddress", "dataImportDetails", "jobDetailsType")) {
            assertThat(details.get(field)).as(field + " as given").isEqualTo(sent.get(field));
        }
        arm.get(name, null).then().statusCode(200).body("properties.details", nullValue());
        assertArmError(arm.get(name, "jobStages,nonsense"), 400, "InvalidRequestContent");

        // A PATCH of unmodelled details only: stored, answered 200 (nothing long-running), the order untouched.
        String orderName = new JobKey(arm.subscription, arm.resourceGroup, name).orderName();
        String orderEtag = given().get("/api/orders/{name}", orderName).header("ETag");
        Response patched = arm.patch(
                name,
                Map.of(
                        "tags",
                        Map.of("team", "ops"),
                        "properties",
                        Map.of(
                                "details",
                                Map.of(
                                        "contactDetails",
                                        Map.of(
                                                "contactName",
                                                "Grace Hopper",
                                                "phone",
                                                "1",
                                                "emailList",
                                                List.of("g@example.com"))))),
                V2020,
                null);
        patched.then().statusCode(200).body("tags.team", equalTo("ops"));
        // The job's ETag covers its ARM data too: a client holding the old one cannot overwrite this change.
        assertThat(patched.header("ETag")).isNotEqualTo(created.header("ETag"));
        assertThat(given().get("/api/orders/{name}", orderName).header("ETag")).isEqualTo(orderEtag);
        assertArmError(
                arm.patch(name, Map.of("tags", Map.of("team", "finance")), V2025, created.header("ETag")),
                412,
                "PreconditionFailed");
        // Several If-Match lines are one list: the stale ETag after an empty line is compared, not dropped.
        assertArmError(
                ArmJobs.json(Map.of("tags", Map.of("team", "finance")))
                        .header("If-Match", "", created.header("ETag"))
                        .queryParam("api-version", V2025)
                        .patch(arm.jobPath(name)),
                412,
                "PreconditionFailed");
        arm.patch(name, Map.of("tags", Map.of("team", "finance")), V2025, patched.header("ETag"))
                .then()
                .statusCode(200)
                .body("tags.team", equalTo("finance"));
        // ARM refuses these characters in a tag's name; a template that passed here would fail on Azure.
        for (String refused : List.of("a<b", "a>b", "a%b", "a&b", "a\\b", "a?b", "a/b")) {
            assertArmError(
                    arm.patch(name, Map.of("tags", Map.of(refused, "x")), V2025, null),
                    400,
                    "InvalidTagNameCharacters");
        }
        arm.get(name, null).then().body("tags.team", equalTo("finance"));
        arm.get(name, "details")
                .then()
                .statusCode(200)
                .body("properties.details.contactDetails.contactName", equalTo("Grace Hopper"))
                .body("properties.details.shippingAddress.city", equalTo("Redmond"));

        // A second PUT of the job as it was created, which would undo the PATCH, is refused; the job stays.
        assertArmError(arm.put(name, body, V2025), 409, "JobAlreadyExists");
    }

    /** What the HTTP layer refuses before a jobs route runs is in ARM's envelope too, as an ARM client reads it. */
    @Test
    void refusalsOfTheHttpLayerOnTheJobsSurfaceAreInArmsEnvelope() {
        ArmJobs arm = new ArmJobs();
        String job = arm.jobPath(ArmJobs.newName());
        assertArmError(
                given().contentType("text/plain")
                        .body("{}")
                        .queryParam("api-version", V2020)
                        .patch(job),
                415,
                "InvalidRequestContent");
        assertArmError(ArmJobs.json(Map.of()).queryParam("api-version", V2020).post(job), 405, "InvalidRequestContent");
        assertArmError(
                ArmJobs.json(Map.of()).queryParam("api-version", V2020).post(job + "/bookShipmentPickUp"),
                404,
                "InvalidRequestContent");
        assertArmError(
                given().queryParam("api-version", V2020).get("/api/providers/Microsoft.DataBox/operations"),
                404,
                "InvalidRequestContent");
        assertArmError(
                ArmJobs.json(Map.of("tags", Map.of("a", "b")))
                        .header("If-Match", "")
                        .queryParam("api-version", V2020)
                        .patch(job),
                400,
                "InvalidRequestContent");
    }

    /**
     * No route for a Microsoft.DataBox resource type the surface does not serve is ARM's InvalidResourceType, in
     * ARM's words (bug bash bb84 F7: 404 InvalidRequestContent "There is no such route."); other 404s keep theirs.
     */
    @Test
    void anUnservedResourceTypeIsArmsInvalidResourceType() {
        ArmJobs arm = new ArmJobs();
        for (String path : List.of(
                "/api/subscriptions/" + arm.subscription + "/resourceGroups/" + arm.resourceGroup
                        + "/providers/Microsoft.DataBox/widgets/w1",
                "/subscriptions/" + arm.subscription + "/providers/microsoft.databox/widgets")) {
            Response refused = given().queryParam("api-version", V2025).get(path);
            assertArmError(refused, 404, "InvalidResourceType");
            assertThat(refused.<String>path("error.message"))
                    .isEqualTo("The resource type 'widgets' could not be found in the namespace 'Microsoft.DataBox' "
                            + "for api version '" + V2025 + "'.");
        }
        assertArmError(
                ArmJobs.json(Map.of())
                        .queryParam("api-version", V2025)
                        .post(arm.jobPath(ArmJobs.newName()) + "/bookShipmentPickUp"),
                404,
                "InvalidRequestContent");
        assertArmError(arm.get(ArmJobs.newName(), null), 404, "ResourceNotFound");
    }

    @Test
    void refusesBodiesOfTheWrongShapeInArmsEnvelope() {
        ArmJobs arm = new ArmJobs();
        Map<String, Object> body = jobBody(null, null);
        body.put("unknownTopLevel", 1);
        assertArmError(arm.put(ArmJobs.newName(), body, V2025), 400, "InvalidRequestContent");
        Map<String, Object> noTransfer = jobBody(null, null);
        ((Map<?, ?>) noTransfer.get("properties")).remove("transferType");
        assertArmError(arm.put(ArmJobs.newName(), noTransfer, V2025), 400, "InvalidRequestContent");
        Map<String, Object> badEnum = jobBody(Map.of("type", "Sometimes"), null);
        Response badIdentityType = arm.put(ArmJobs.newName(), badEnum, V2025);
        assertArmError(badIdentityType, 400, "InvalidRequestContent");
        assertThat(badIdentityType.<String>path("error.target")).isEqualTo("identity.type");
        Response twice = arm.put(ArmJobs.newName(), "{\"location\":\"westus\",\"location\":\"eastus\"}", V2025);
        assertArmError(twice, 400, "InvalidRequestContent");
        assertThat(twice.<String>path("error.message")).contains("'location' is named twice in one object");
        assertArmError(arm.put("no spaces allowed", jobBody(null, null), V2025), 400, "InvalidResourceName");
        Map<String, Object> notADate = jobBody(null, null);
        ((Map<String, Object>) notADate.get("properties"))
                .put("deliveryInfo", Map.of("scheduledDateTime", "next Tuesday"));
        Response refused = arm.put(ArmJobs.newName(), notADate, V2025);
        assertArmError(refused, 400, "InvalidRequestContent");
        assertThat(refused.<String>path("error.target")).isEqualTo("properties.deliveryInfo.scheduledDateTime");
        // A refused identity ID is quoted with its end, where it is usually wrong (it was cut after 80 characters).
        String badId = "/subscriptions/" + arm.subscription + "/resourceGroups/" + arm.resourceGroup
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a b";
        Response badIdentity = arm.put(
                ArmJobs.newName(),
                jobBody(Map.of("type", "UserAssigned", "userAssignedIdentities", Map.of(badId, Map.of())), null),
                V2025);
        assertArmError(badIdentity, 400, "InvalidRequestContent");
        assertThat(badIdentity.<String>path("error.message")).contains("userAssignedIdentities/a b'");
    }

    /**
     * A PATCH changes what the spec's UpdateJobProperties holds, in its types: a job's transfer type or
     * details type is not changed, and a delivery time that is not a date-time is refused (stored, it broke
     * the SDKs' every list of the subscription's jobs).
     */
    @Test
    void aPatchKeepsWhatTheJobIsAndTheSpecsTypes() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);

        assertArmError(
                arm.patch(name, Map.of("properties", Map.of("transferType", "ExportFromAzure")), V2025, null),
                400,
                "InvalidRequestContent");
        assertArmError(
                arm.patch(
                        name,
                        Map.of("properties", Map.of("details", Map.of("jobDetailsType", "DataBoxDisk"))),
                        V2025,
                        null),
                400,
                "InvalidRequestContent");
        assertArmError(
                arm.patch(
                        name,
                        Map.of("properties", Map.of("deliveryInfo", Map.of("scheduledDateTime", 20261224))),
                        V2025,
                        null),
                400,
                "InvalidRequestContent");

        arm.patch(
                        name,
                        Map.of(
                                "properties",
                                Map.of("deliveryInfo", Map.of("scheduledDateTime", "2026-12-24T09:00:00Z"))),
                        V2025,
                        null)
                .then()
                .statusCode(200);
        arm.get(name, null)
                .then()
                .statusCode(200)
                .body("properties.transferType", org.hamcrest.Matchers.equalToIgnoringCase("ImportToAzure"))
                .body("properties.deliveryInfo.scheduledDateTime", equalTo("2026-12-24T09:00:00Z"));
    }

    @Test
    void patchOfTheKeyIsALongRunningOperationAndAlreadyDoneAnswers200() {
        ArmJobs arm = new ArmJobs();
        CustomerKeyVault vault = CustomerKeyVault.create();
        String uai = vault.identity().resourceId();
        String name = createdWithCustomerKey(arm, vault);
        String password = arm.listCredentials(name)
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .extract()
                .path("value[0].jobSecrets.podSecrets[0].devicePassword");
        assertThat(password).isNotBlank();
        com.databox.cmk.testing.SeenSecrets.record(password);
        String etag = arm.get(name, null).header("ETag");

        String newVersion = vault.newVersion();
        Response accepted = arm.patch(name, patchKey(customerKey(newVersion, vault.resourceId(), uai)), V2020, etag);
        // The operation is done before the 202 is sent: DATABOX-ARM-API.md publishes Retry-After: 0, so that a
        // poller (the SDKs' default waits 30 s without it) reads the result at once.
        accepted.then().statusCode(202).header("Retry-After", "0");
        String status = accepted.header("Azure-AsyncOperation");
        String location = accepted.header("Location");
        assertThat(status)
                .contains("/api/subscriptions/" + arm.subscription
                        + "/providers/Microsoft.DataBox/locations/westus/operationStatuses/")
                .contains("api-version=" + V2020);
        assertThat(location).contains("/operationResults/");
        follow(status).then().statusCode(200).body("status", equalTo("Succeeded"));
        follow(location).then().statusCode(200).body("name", equalTo(name));
        // ARM compares the operation's GUID in any case; another location has no such operation.
        String operationId = status.substring(status.indexOf("/operationStatuses/") + 19, status.indexOf('?'));
        follow(status.replace(operationId, operationId.toUpperCase(java.util.Locale.ROOT)))
                .then()
                .statusCode(200)
                .body("status", equalTo("Succeeded"));
        assertArmError(follow(status.replace("/locations/westus/", "/locations/eastus/")), 404, "OperationNotFound");
        // An operation ID the service never made is none, whatever it holds; it never reaches storage as a key.
        String statuses = status.substring(status.indexOf("/api/"), status.indexOf("/operationStatuses/") + 19);
        for (String notAnOperation :
                List.of("a".repeat(2000), "x%0Ay", UUID.randomUUID().toString())) {
            assertArmError(
                    given().urlEncodingEnabled(false).get(statuses + notAnOperation + "?api-version=" + V2020),
                    404,
                    "OperationNotFound");
        }
        arm.get(name, "details")
                .then()
                .statusCode(200)
                .body("properties.details.keyEncryptionKey.kekUrl", equalTo(newVersion))
                .body("properties.details.keyEncryptionKey.kekVaultResourceID", equalTo(vault.resourceId()))
                .body("properties.details.keyEncryptionKey.identityProperties.userAssigned.resourceId", equalTo(uai));

        // The same key again: nothing to do, so 200 with the job.
        arm.patch(name, patchKey(customerKey(newVersion, vault.resourceId(), uai)), V2025, null)
                .then()
                .statusCode(200)
                .body("name", equalTo(name));
        // A stale If-Match changes nothing.
        assertArmError(
                arm.patch(name, patchKey(Map.of("kekType", "MicrosoftManaged")), V2025, etag),
                412,
                "PreconditionFailed");
        // A refused key answers its Ssem code in ARM's envelope; the job keeps its key and password.
        String weak = vault.newKey("RSA", 1024);
        Response refused = arm.patch(name, patchKey(customerKey(weak, vault.resourceId(), uai)), V2025, null);
        assertArmError(refused, 400, "SsemUserErrorEncryptionKeyTypeNotSupported");
        assertThat(refused.<String>path("error.target")).startsWith("properties.details.keyEncryptionKey");
        arm.get(name, "details").then().body("properties.details.keyEncryptionKey.kekUrl", equalTo(newVersion));
        assertThat(arm.listCredentials(name).<String>path("value[0].jobSecrets.podSecrets[0].devicePassword"))
                .isEqualTo(password);

        // The order behind the job is the one /api/orders shows, with the same password.
        String orderName = new JobKey(arm.subscription, arm.resourceGroup, name).orderName();
        assertThat(CmkOrder.listCredentials(orderName)).isEqualTo(password);
    }

    /**
     * An operation's links answer the job it was about, never a job created again under its name: its result
     * answered the new job, which a poller resumed from a continuation token reported as changed (bug bash bb84 F8).
     */
    @Test
    void anOperationIsNoneOnceItsJobIsCreatedAgainUnderItsName() {
        ArmJobs arm = new ArmJobs();
        CustomerKeyVault vault = CustomerKeyVault.create();
        String uai = vault.identity().resourceId();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(userAssignedIdentity(uai), customerKey(vault.keyUrl(), vault.resourceId(), uai)), V2025)
                .then()
                .statusCode(200);
        Response accepted =
                arm.patch(name, patchKey(customerKey(vault.newVersion(), vault.resourceId(), uai)), V2025, null);
        accepted.then().statusCode(202);
        String result = accepted.header("Location");
        String status = accepted.header("Azure-AsyncOperation");
        follow(result).then().statusCode(200).body("name", equalTo(name));
        arm.cancel(name, "moving on").then().statusCode(204);
        given().queryParam("api-version", V2025)
                .delete(arm.jobPath(name))
                .then()
                .statusCode(200);
        // Deleted: the result is the job, not found; the status still says how the operation ended.
        assertArmError(follow(result), 404, "ResourceNotFound");
        follow(status).then().statusCode(200).body("status", equalTo("Succeeded"));

        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);

        assertArmError(follow(result), 404, "OperationNotFound");
        assertArmError(follow(status), 404, "OperationNotFound");
    }

    @Test
    void listCredentialsReportsAKeyItCannotUseInJobSecretsError() {
        ArmJobs arm = new ArmJobs();
        CustomerKeyVault vault = CustomerKeyVault.create();
        String uai = vault.identity().resourceId();
        String name = createdWithCustomerKey(arm, vault);
        vault.setPermissions(vault.identity().principalId(), "get", "wrapKey");
        Response credentials = arm.listCredentials(name);
        credentials
                .then()
                .statusCode(200)
                .body("value[0].jobName", equalTo(name))
                .body("value[0].jobSecrets.jobSecretsType", equalTo("DataBox"))
                .body("value[0].jobSecrets.podSecrets", nullValue())
                .body("value[0].jobSecrets.error.code", equalTo("SsemUserErrorKeyVaultBadRequestException"));
    }

    @Test
    void aKeyRefusedForOneOperationSaysInTheArmErrorWhichOperationToAllow() {
        ArmJobs arm = new ArmJobs();
        CustomerKeyVault vault = CustomerKeyVault.create();
        String uai = vault.identity().resourceId();
        CustomerKeyVault.admin().setKeyOps(vault.name(), vault.keyName(), vault.keyVersion(), "unwrapKey");

        Response refused = arm.put(
                ArmJobs.newName(),
                jobBody(userAssignedIdentity(uai), customerKey(vault.keyUrl(), vault.resourceId(), uai)),
                V2025);

        assertArmError(refused, 400, "SsemUserErrorKeyVaultBadRequestException");
        assertThat(refused.<String>path("error.additionalInfo[0].info.resolution"))
                .as(refused.asString())
                .contains("wrapKey")
                .contains("key_ops");
    }

    @Test
    void listsJobsPageByPageWithNextLink() {
        ArmJobs arm = new ArmJobs();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = ArmJobs.newName();
            names.add(name);
            arm.put(name, jobBody(null, null), V2020).then().statusCode(200);
        }
        String list = "/api/subscriptions/" + arm.subscription + "/resourceGroups/" + arm.resourceGroup
                + "/providers/Microsoft.DataBox/jobs";
        Response first =
                given().queryParam("api-version", V2020).queryParam("$top", 2).get(list);
        first.then().statusCode(200);
        List<String> seen = new ArrayList<>(first.<List<String>>path("value.name"));
        String nextLink = first.path("nextLink");
        assertThat(seen).hasSize(2);
        assertThat(nextLink).contains("$skipToken=").contains("api-version=" + V2020);
        Response second = follow(nextLink);
        second.then().statusCode(200).body("nextLink", nullValue());
        seen.addAll(second.path("value.name"));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(names);
        given().queryParam("api-version", V2025)
                .get("/api/subscriptions/" + arm.subscription + "/providers/Microsoft.DataBox/jobs")
                .then()
                .statusCode(200)
                .body("value.size()", equalTo(3));
    }

    /**
     * A page that holds the last jobs has no nextLink, also when it is exactly {@code $top} long: ARM's paging ends
     * where nextLink is absent, and /api/orders reads one row more for this (TableOrders.listAfter). The jobs
     * listing answered a nextLink to an empty page whenever the jobs left filled the page (bug bash pg1, paging F1).
     */
    @Test
    void aPageOfExactlyTopJobsThatEndsTheListingHasNoNextLink() {
        ArmJobs arm = new ArmJobs();
        for (int i = 0; i < 2; i++) {
            arm.put(ArmJobs.newName(), jobBody(null, null), V2020).then().statusCode(200);
        }
        String group = "/api/subscriptions/" + arm.subscription + "/resourceGroups/" + arm.resourceGroup
                + "/providers/Microsoft.DataBox/jobs";
        String subscription = "/api/subscriptions/" + arm.subscription + "/providers/Microsoft.DataBox/jobs";
        for (String list : new String[] {group, subscription}) {
            Response page = given().queryParam("api-version", V2020)
                    .queryParam("$top", 2)
                    .get(list);
            page.then().statusCode(200).body("value.size()", equalTo(2));
            assertThat(page.<String>path("nextLink"))
                    .as("a nextLink after the last job (its page is empty: " + followIfAny(page) + ")")
                    .isNull();
        }
    }

    private static String followIfAny(Response page) {
        String next = page.path("nextLink");
        return next == null ? "none" : follow(next).asString();
    }

    /**
     * A continuation the service never gave out, or none at all, is refused in ARM's envelope: a made-up
     * {@code $skipToken} was read as a place to start and answered a page (bug bash of 2026-12-05, F10). A
     * {@code $top} out of its range is refused as well.
     */
    @Test
    void aSkipTokenTheServiceNeverGaveOutOrATopOutOfRangeIsRefused() {
        ArmJobs arm = new ArmJobs();
        arm.put(ArmJobs.newName(), jobBody(null, null), V2020).then().statusCode(200);
        String list = "/api/subscriptions/" + arm.subscription + "/providers/Microsoft.DataBox/jobs";
        for (String token : new String[] {"AAAA", "!!!", "YQ", ""}) {
            assertArmError(
                    given().urlEncodingEnabled(false).get(list + "?api-version=" + V2020 + "&$skipToken=" + token),
                    400,
                    "InvalidRequestContent");
        }
        for (String top : new String[] {"0", "1001", "ten"}) {
            assertArmError(
                    given().urlEncodingEnabled(false).get(list + "?api-version=" + V2020 + "&$top=" + top),
                    400,
                    "InvalidRequestContent");
        }
        given().queryParam("api-version", V2020)
                .get(list)
                .then()
                .statusCode(200)
                .body("value.size()", equalTo(1));
    }

    /**
     * Bodies are read as bytes, as on /api: a UTF-8 byte order mark is taken, and a byte that is not UTF-8 is
     * refused. The jobs routes read text, so the mark was refused and a Latin-1 byte stored as U+FFFD (bug bash
     * of 2026-12-06, B4).
     */
    @Test
    void aBodyIsReadAsBytesAsOnTheOrderRoutes() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] tagged = "{\"tags\":{\"team\":\"finance\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + tagged.length];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(tagged, 0, withBom, bom.length, tagged.length);
        Response taken = patchBytes(arm, name, withBom);
        assertThat(taken.statusCode()).as(taken.asString()).isEqualTo(200);

        byte[] latin1 = "{\"tags\":{\"team\":\"Jos\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
        assertArmError(patchBytes(arm, name, latin1), 400, "InvalidRequestContent");
        arm.get(name, null).then().body("tags.team", equalTo("finance"));
    }

    /** A PATCH of these very bytes (RestAssured's body(Object) would write a byte[] as JSON). */
    private static Response patchBytes(ArmJobs arm, String name, byte[] body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .queryParam("api-version", V2025)
                .patch(arm.jobPath(name));
    }

    /** An Accept that refuses JSON is answered 406 in ARM's envelope, as the HTTP layer's other refusals are. */
    @Test
    void anAcceptThatRefusesJsonIsAnswered406InArmsEnvelope() {
        ArmJobs arm = new ArmJobs();
        assertArmError(
                given().accept("application/json;q=0")
                        .queryParam("api-version", V2020)
                        .get("/api/subscriptions/" + arm.subscription + "/providers/Microsoft.DataBox/jobs"),
                406,
                "InvalidRequestContent");
    }

    /**
     * What the SDKs read back, as the spec types it: a date-time with its seconds (Python's deserializer
     * refuses 09:00Z, and then every list of the subscription), enum values as the spec spells them (an
     * SDK finds no class for "databox"), and the details' scalars in their types (a string where a
     * boolean belongs fails the expanded GET); none of it stored otherwise.
     */
    @Test
    void answersWhatTheSdksReadBackInTheSpecsTypes() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        Map<String, Object> body = jobBody(null, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) body.get("properties");
        properties.put("deliveryType", "scheduled");
        properties.put("deliveryInfo", Map.of("scheduledDateTime", "2026-12-24T09:00Z"));
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) properties.get("details");
        details.put("jobDetailsType", "databox");
        arm.put(name, body, V2025).then().statusCode(200);

        arm.get(name, "details")
                .then()
                .statusCode(200)
                .body("properties.deliveryInfo.scheduledDateTime", equalTo("2026-12-24T09:00:00Z"))
                .body("properties.deliveryType", equalTo("Scheduled"))
                .body("properties.transferType", equalTo("ImportToAzure"))
                .body("properties.details.jobDetailsType", equalTo("DataBox"));

        for (Map.Entry<String, Object> wrong : List.of(
                Map.entry("contactDetails", (Object) Map.of(
                        "contactName",
                        "Ada",
                        "notificationPreference",
                        List.of(Map.of("stageName", "Delivered", "sendNotification", "yes")))),
                Map.entry("expectedDataSizeInTeraBytes", (Object) "ten"))) {
            Map<String, Object> bad = jobBody(null, null);
            @SuppressWarnings("unchecked")
            Map<String, Object> badDetails =
                    (Map<String, Object>) ((Map<String, Object>) bad.get("properties")).get("details");
            badDetails.put(wrong.getKey(), wrong.getValue());
            assertArmError(arm.put(ArmJobs.newName(), bad, V2025), 400, "InvalidRequestContent");
        }
        for (String notADate : List.of("+12026-12-24T09:00:00Z", "2026-12-24")) {
            Map<String, Object> bad = jobBody(null, null);
            @SuppressWarnings("unchecked")
            Map<String, Object> badProperties = (Map<String, Object>) bad.get("properties");
            badProperties.put("deliveryInfo", Map.of("scheduledDateTime", notADate));
            assertArmError(arm.put(ArmJobs.newName(), bad, V2025), 400, "InvalidRequestContent");
        }
    }

    @Test
    void answersArmPathsAtTheRootAndInAnyCase() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        String root = "/SUBSCRIPTIONS/" + arm.subscription + "/resourcegroups/" + arm.resourceGroup
                + "/providers/microsoft.databox/Jobs/" + name.toUpperCase(java.util.Locale.ROOT);
        given().queryParam("api-version", V2025)
                .get(root)
                .then()
                .statusCode(200)
                .body("name", equalTo(name));
    }

    /**
     * A resource group whose name holds characters a client percent-encodes (parentheses: Python's
     * azure-core does), reached at the root and in another case: mapped onto the /api route, the name is
     * the one the client meant, never encoded a second time.
     */
    @Test
    void answersAnEncodedResourceGroupAtTheRootAsItCame() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        String group = "rg%28" + UUID.randomUUID().toString().substring(0, 8) + "%29";
        String created = "/api/subscriptions/" + arm.subscription + "/resourceGroups/" + group
                + "/providers/Microsoft.DataBox/jobs/" + name;
        ArmJobs.json(jobBody(null, null))
                .urlEncodingEnabled(false)
                .put(created + "?api-version=" + V2025)
                .then()
                .statusCode(200);
        String root = "/subscriptions/" + arm.subscription + "/resourcegroups/" + group
                + "/providers/Microsoft.DataBox/jobs/" + name;
        given().urlEncodingEnabled(false)
                .get(root + "?api-version=" + V2025)
                .then()
                .statusCode(200)
                .body("name", equalTo(name))
                .body("id", org.hamcrest.Matchers.containsString("rg("));
    }

    /** A resource group named in another script (ARM takes Unicode letters), sent percent-encoded as the SDKs send it. */
    @Test
    void servesAResourceGroupWhoseNameHasLettersOfAnotherScript() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        String group = "Ä-rg-" + UUID.randomUUID().toString().substring(0, 8);
        String encoded = java.net.URLEncoder.encode(group, java.nio.charset.StandardCharsets.UTF_8);
        String jobs = "/api/subscriptions/" + arm.subscription + "/resourceGroups/" + encoded
                + "/providers/Microsoft.DataBox/jobs";
        ArmJobs.json(jobBody(null, null))
                .urlEncodingEnabled(false)
                .put(jobs + "/" + name + "?api-version=" + V2025)
                .then()
                .statusCode(200)
                .body("id", containsString("/resourceGroups/" + group + "/"));
        given().urlEncodingEnabled(false)
                .get(jobs + "/" + name + "?api-version=" + V2025)
                .then()
                .statusCode(200)
                .body("name", equalTo(name));
        String second = ArmJobs.newName();
        ArmJobs.json(jobBody(null, null))
                .urlEncodingEnabled(false)
                .put(jobs + "/" + second + "?api-version=" + V2025)
                .then()
                .statusCode(200);
        Response firstPage = given().urlEncodingEnabled(false).get(jobs + "?api-version=" + V2025 + "&$top=1");
        firstPage.then().statusCode(200).body("value", org.hamcrest.Matchers.hasSize(1));
        String nextLink = firstPage.path("nextLink");
        assertThat(java.net.URI.create(nextLink).getPath()).contains("/resourceGroups/" + group + "/");
        List<String> names = new java.util.ArrayList<>(firstPage.path("value.name"));
        names.addAll(given().urlEncodingEnabled(false)
                .get(java.net.URI.create(nextLink).toASCIIString())
                .then()
                .statusCode(200)
                .extract()
                .path("value.name"));
        assertThat(names).containsExactlyInAnyOrder(name, second);
    }

    /**
     * {@code If-Match} holds on every route that changes a job, as on PATCH: a stale one is {@code 412} and
     * changes nothing; on a job that does not exist it fails ({@code *} too), so a PUT creates nothing. The
     * routes but PATCH read it and went on (bug bash of 2026-12-06, B3): a stale one cancelled and deleted the
     * job, and a PUT with one created it.
     */
    @Test
    void aStaleIfMatchChangesNoJobOnAnyRoute() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        String etag = arm.get(name, null).header("ETag");
        String stale = "W/\"stale\"";

        assertArmError(
                ArmJobs.json(Map.of("reason", "r"))
                        .header("If-Match", stale)
                        .queryParam("api-version", V2025)
                        .post(arm.jobPath(name) + "/cancel"),
                412,
                "PreconditionFailed");
        assertArmError(
                ArmJobs.json(Map.of("customerResolutionCode", "Resume"))
                        .header("If-Match", stale)
                        .queryParam("api-version", V2025)
                        .post(arm.jobPath(name) + "/mitigate"),
                412,
                "PreconditionFailed");
        // The job as it is, again: answered as it is (ARM's PUT is idempotent); as it is not: refused.
        ArmJobs.json(jobBody(null, null))
                .header("If-Match", etag)
                .queryParam("api-version", V2025)
                .put(arm.jobPath(name))
                .then()
                .statusCode(200)
                .header("ETag", etag);
        Map<String, Object> tagged = new java.util.LinkedHashMap<>(jobBody(null, null));
        tagged.put("tags", Map.of("team", "finance"));
        assertArmError(
                ArmJobs.json(tagged)
                        .header("If-Match", etag)
                        .queryParam("api-version", V2025)
                        .put(arm.jobPath(name)),
                409,
                "JobAlreadyExists");
        String missing = ArmJobs.newName();
        for (String ifMatch : new String[] {stale, "*"}) {
            assertArmError(
                    ArmJobs.json(jobBody(null, null))
                            .header("If-Match", ifMatch)
                            .queryParam("api-version", V2025)
                            .put(arm.jobPath(missing)),
                    412,
                    "PreconditionFailed");
            assertArmError(
                    given().header("If-Match", ifMatch)
                            .queryParam("api-version", V2025)
                            .delete(arm.jobPath(missing)),
                    412,
                    "PreconditionFailed");
        }
        assertArmError(arm.get(missing, null), 404, "ResourceNotFound");
        arm.get(name, null).then().header("ETag", etag).body("properties.status", equalTo("DeviceOrdered"));

        ArmJobs.json(Map.of("reason", "r"))
                .header("If-Match", etag)
                .queryParam("api-version", V2025)
                .post(arm.jobPath(name) + "/cancel")
                .then()
                .statusCode(204);
        assertArmError(
                given().header("If-Match", etag)
                        .queryParam("api-version", V2025)
                        .delete(arm.jobPath(name)),
                412,
                "PreconditionFailed");
        arm.get(name, null).then().statusCode(200).body("properties.status", equalTo("Cancelled"));
        given().header("If-Match", arm.get(name, null).header("ETag"))
                .queryParam("api-version", V2025)
                .delete(arm.jobPath(name))
                .then()
                .statusCode(200);
        assertArmError(arm.get(name, null), 404, "ResourceNotFound");
    }

    /**
     * If-None-Match on PUT, as /api/orders reads it: * creates only a job that does not exist, an ETag list refuses
     * the job at one of those versions (bug bash bb84 F5: ignored, so a create-only-if-absent answered 200).
     */
    @Test
    void aPutWithIfNoneMatchCreatesOnlyAJobThatDoesNotExist() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        ArmJobs.json(jobBody(null, null))
                .header("If-None-Match", "*")
                .queryParam("api-version", V2025)
                .put(arm.jobPath(name))
                .then()
                .statusCode(200)
                .body("name", equalTo(name));
        String etag = arm.get(name, null).header("ETag");
        Map<String, Object> tagged = new java.util.LinkedHashMap<>(jobBody(null, null));
        tagged.put("tags", Map.of("team", "finance"));
        for (Object body : List.of(jobBody(null, null), tagged)) {
            for (String ifNoneMatch : List.of("*", etag, etag.substring(2), "W/\"other\", " + etag)) {
                Response refused = ArmJobs.json(body)
                        .header("If-None-Match", ifNoneMatch)
                        .queryParam("api-version", V2025)
                        .put(arm.jobPath(name));
                assertArmError(refused, 412, "PreconditionFailed");
                assertThat(refused.<String>path("error.target")).isEqualTo("If-None-Match");
            }
        }
        // A version the job is not at: answered as without the header.
        ArmJobs.json(jobBody(null, null))
                .header("If-None-Match", "W/\"other\"")
                .queryParam("api-version", V2025)
                .put(arm.jobPath(name))
                .then()
                .statusCode(200)
                .header("ETag", etag);
        Response empty = ArmJobs.json(jobBody(null, null))
                .header("If-None-Match", "")
                .queryParam("api-version", V2025)
                .put(arm.jobPath(ArmJobs.newName()));
        assertArmError(empty, 400, "InvalidRequestContent");
        assertThat(empty.<String>path("error.target")).isEqualTo("If-None-Match");
        arm.get(name, null).then().statusCode(200).header("ETag", etag).body("tags.team", equalTo("data"));
    }

    @Test
    void cancelsAndDeletesAFinishedJobAndMitigateSaysThereIsNothingToMitigate() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        assertArmError(given().queryParam("api-version", V2025).delete(arm.jobPath(name)), 409, "JobNotDeletable");
        assertArmError(
                ArmJobs.json(Map.of("customerResolutionCode", "resume"))
                        .queryParam("api-version", V2025)
                        .post(arm.jobPath(name) + "/mitigate"),
                409,
                "MitigationNotRequired");
        Response unknownCode = ArmJobs.json(Map.of("customerResolutionCode", "Sometimes"))
                .queryParam("api-version", V2025)
                .post(arm.jobPath(name) + "/mitigate");
        assertArmError(unknownCode, 400, "InvalidRequestContent");
        // The codes as Data Box lists them, the same in every answer.
        unknownCode
                .then()
                .body(
                        "error.message",
                        org.hamcrest.Matchers.containsString(
                                "[None, MoveToCleanUpDevice, Resume, Restart, ReachOutToOperation]"));
        arm.cancel(name, "no longer needed").then().statusCode(204);
        arm.get(name, null)
                .then()
                .statusCode(200)
                .body("properties.status", equalTo("Cancelled"))
                .body("properties.cancellationReason", equalTo("no longer needed"))
                .body("properties.isDeletable", equalTo(true));
        String cancelledEtag = arm.get(name, null).header("ETag");
        // A second cancel (a retry after a lost answer) finds the job cancelled and leaves it as it is.
        arm.cancel(name, "another reason").then().statusCode(204);
        arm.get(name, null)
                .then()
                .header("ETag", cancelledEtag)
                .body("properties.cancellationReason", equalTo("no longer needed"));
        given().queryParam("api-version", V2025)
                .delete(arm.jobPath(name))
                .then()
                .statusCode(200);
        assertArmError(arm.get(name, null), 404, "ResourceNotFound");
        given().queryParam("api-version", V2025)
                .delete(arm.jobPath(name))
                .then()
                .statusCode(204);
    }

    /**
     * A stage's {@code stageTime} is when the job reached it: a write of its order that leaves the stage as it
     * is (here its key, written again) moved it before (bug bash of 2026-12-05, F14).
     */
    /**
     * A job starts when it is created: its startTime and its first stage's time are its systemData.createdAt, one
     * instant (bug bash bb81 F2: the order's own clock reading, 360 ms later). The order's answer keeps its own.
     */
    @Test
    void aJobStartsTheMomentItIsCreated() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        Response put = arm.put(name, jobBody(null, null), V2025);
        put.then().statusCode(200);
        String created = put.path("systemData.createdAt");
        assertThat(put.<String>path("properties.startTime")).isEqualTo(created);
        Response get = arm.get(name, "details");
        assertThat(get.<String>path("properties.startTime")).isEqualTo(created);
        assertThat(get.<String>path("properties.details.jobStages[0].stageTime"))
                .isEqualTo(created);
        String order = new JobKey(arm.subscription, arm.resourceGroup, name).orderName();
        String orderCreated = given().get("/api/orders/{name}", order).path("createdAt");
        assertThat(java.time.Instant.parse(orderCreated)).isAfterOrEqualTo(java.time.Instant.parse(created));
    }

    @Test
    void aStagesTimeIsWhenTheJobReachedIt() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        Response before = arm.get(name, "details");
        String reached = before.path("properties.details.jobStages[0].stageTime");
        assertThat(java.time.Instant.parse(reached))
                .isEqualTo(java.time.Instant.parse(before.path("properties.startTime")));
        String order = new JobKey(arm.subscription, arm.resourceGroup, name).orderName();
        given().post("/api/orders/{name}/encryption/use-microsoft-key", order)
                .then()
                .statusCode(200);

        Response after = arm.get(name, "details");
        String written = given().get("/api/orders/{name}", order).path("updatedAt");
        assertThat(java.time.Instant.parse(written)).isAfter(java.time.Instant.parse(reached));
        assertThat(after.<String>path("properties.details.jobStages[0].stageTime"))
                .isEqualTo(reached);
    }

    /**
     * A job whose order is held before Data Copy for its key shows it as ARM shows a job waiting for its
     * customer: {@code properties.error} with the code, message and resolution, and the stage's
     * {@code stageStatus} in the details (as each api-version names it); after the fix and mitigate, neither.
     * Before, the job looked healthy through ARM, and a customer using the SDKs had no way to see the wait.
     */
    @Test
    void aJobHeldForItsKeyShowsTheWaitAndWhatToDoUntilItIsResumed() {
        ArmJobs arm = new ArmJobs();
        CustomerKeyVault vault = CustomerKeyVault.create();
        String name = createdWithCustomerKey(arm, vault);
        CmkOrder order = CmkOrder.existing(new JobKey(arm.subscription, arm.resourceGroup, name).orderName());
        order.moveTo("AtAzureDC").then().statusCode(200);
        arm.get(name, "details")
                .then()
                .statusCode(200)
                .body("properties", not(hasKey("error")))
                .body("properties.details.jobStages[0].stageName", equalTo("AtAzureDC"))
                .body("properties.details.jobStages[0].stageStatus", equalTo("InProgress"));
        EmulatorTestSupport.admin().updateKey(vault.name(), vault.keyName(), vault.keyVersion(), false, null, null);
        order.moveTo("DataCopy").then().statusCode(400);

        arm.get(name, null)
                .then()
                .statusCode(200)
                .body("properties.status", equalTo("AtAzureDC"))
                .body("properties.error.code", equalTo("SsemUserErrorEncryptionKeyDisabled"))
                .body("properties.error.message", containsString(vault.keyName()))
                .body("properties.error.additionalInfo[0].type", equalTo("Resolution"))
                .body("properties.error.additionalInfo[0].info.resolution", containsString("Resume"))
                .body("properties", not(hasKey("details")));
        arm.get(name, "details")
                .then()
                .body("properties.details.jobStages[0].stageName", equalTo("AtAzureDC"))
                .body("properties.details.jobStages[0].stageStatus", equalTo("WaitingForCustomerActionForKek"));
        given().queryParam("api-version", V2020)
                .queryParam("$expand", "details")
                .get(arm.jobPath(name))
                .then()
                .body("properties.error.code", equalTo("SsemUserErrorEncryptionKeyDisabled"))
                .body("properties.details.jobStages[0].stageStatus", equalTo("WaitingForCustomerAction"));

        EmulatorTestSupport.admin().updateKey(vault.name(), vault.keyName(), vault.keyVersion(), true, null, null);
        ArmJobs.json(Map.of("customerResolutionCode", "Resume"))
                .queryParam("api-version", V2025)
                .post(arm.jobPath(name) + "/mitigate")
                .then()
                .statusCode(204);
        arm.get(name, "details")
                .then()
                .body("properties.status", equalTo("DataCopy"))
                .body("properties", not(hasKey("error")))
                .body("properties.details.jobStages[0].stageStatus", equalTo("InProgress"));
        // The same mitigate again, as @azure/arm-databox sends it after a lost answer: done, not
        // MitigationNotRequired (bug bash bb96 F1).
        ArmJobs.json(Map.of("customerResolutionCode", "Resume"))
                .queryParam("api-version", V2025)
                .post(arm.jobPath(name) + "/mitigate")
                .then()
                .statusCode(204);
        // Once anything else has changed the order, there is nothing to resume.
        order.moveTo("Completed").then().statusCode(200);
        ArmJobs.json(Map.of("customerResolutionCode", "Resume"))
                .queryParam("api-version", V2025)
                .post(arm.jobPath(name) + "/mitigate")
                .then()
                .statusCode(409)
                .body("error.code", equalTo("MitigationNotRequired"));
        order.assertPasswordKept();
    }

    /**
     * ARM's SDKs poll the operation the 202 names with the caller's own token, and the Python SDK then reads
     * the job: a key manager alone must be able to.
     */
    @Test
    void aKeyManagerAloneFollowsItsLongRunningPatchToTheEnd() {
        ArmJobs arm = new ArmJobs();
        CustomerKeyVault vault = CustomerKeyVault.create();
        String uai = vault.identity().resourceId();
        String name = createdWithCustomerKey(arm, vault);
        String keyManager = EmulatorTestSupport.admin().callerToken("Encryption.Manage");
        String newVersion = vault.newVersion();

        Response accepted = ArmJobs.json(patchKey(customerKey(newVersion, vault.resourceId(), uai)))
                .header("Authorization", "Bearer " + keyManager)
                .queryParam("api-version", V2025)
                .patch(arm.jobPath(name));

        accepted.then().statusCode(202);
        given().header("Authorization", "Bearer " + keyManager)
                .urlEncodingEnabled(false)
                .get(accepted.header("Azure-AsyncOperation"))
                .then()
                .statusCode(200)
                .body("status", equalTo("Succeeded"));
        given().header("Authorization", "Bearer " + keyManager)
                .urlEncodingEnabled(false)
                .get(accepted.header("Location"))
                .then()
                .statusCode(200)
                .body("name", equalTo(name));
        // The Python SDK's poller ends a PATCH with a GET of the job itself (ARM's final state of a PATCH), with
        // the same token: it got 403 and reported the finished change as failed. Whoever may change a job reads it.
        given().header("Authorization", "Bearer " + keyManager)
                .queryParam("api-version", V2025)
                .get(arm.jobPath(name))
                .then()
                .statusCode(200)
                .body("properties.status", equalTo("DeviceOrdered"));
        String writer = EmulatorTestSupport.admin().callerToken("Orders.Write");
        given().header("Authorization", "Bearer " + writer)
                .queryParam("api-version", V2025)
                .get(arm.jobPath(name))
                .then()
                .statusCode(200);
        // Neither lists jobs, and a caller who may only read credentials does not read the job either.
        assertArmError(
                given().header("Authorization", "Bearer " + keyManager)
                        .queryParam("api-version", V2025)
                        .get(arm.jobPath(name).substring(0, arm.jobPath(name).lastIndexOf('/'))),
                403,
                "AuthorizationFailed");
        assertArmError(
                given().header(
                                "Authorization",
                                "Bearer " + EmulatorTestSupport.admin().callerToken("Credentials.Read"))
                        .queryParam("api-version", V2025)
                        .get(arm.jobPath(name)),
                403,
                "AuthorizationFailed");
    }

    @Test
    void takesTheSameAppRolesAsTheOrderRoutes() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        String reader = EmulatorTestSupport.admin().callerToken("Orders.Read");
        given().header("Authorization", "Bearer " + reader)
                .queryParam("api-version", V2025)
                .get(arm.jobPath(name))
                .then()
                .statusCode(200);
        assertArmError(
                ArmJobs.json(Map.of("tags", Map.of("a", "b")))
                        .header("Authorization", "Bearer " + reader)
                        .queryParam("api-version", V2025)
                        .patch(arm.jobPath(name)),
                403,
                "AuthorizationFailed");
        String writer = EmulatorTestSupport.admin().callerToken("Orders.Write");
        assertArmError(
                ArmJobs.json(patchKey(Map.of("kekType", "MicrosoftManaged")))
                        .header("Authorization", "Bearer " + writer)
                        .queryParam("api-version", V2025)
                        .patch(arm.jobPath(name)),
                403,
                "AuthorizationFailed");
        assertArmError(
                given().header("Authorization", "Bearer " + writer)
                        .queryParam("api-version", V2025)
                        .post(arm.jobPath(name) + "/listCredentials"),
                403,
                "AuthorizationFailed");
        Response anonymous = given().header("Authorization", "Bearer not-a-token")
                .queryParam("api-version", V2025)
                .get(arm.jobPath(name));
        assertArmError(anonymous, 401, "AuthenticationFailed");
    }

    /** A new job created with the customer's key from the start (2025-02-01 takes the key at creation), through the vault's identity. */
    private static String createdWithCustomerKey(ArmJobs arm, CustomerKeyVault vault) {
        String uai = vault.identity().resourceId();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(userAssignedIdentity(uai), customerKey(vault.keyUrl(), vault.resourceId(), uai)), V2025)
                .then()
                .statusCode(200);
        return name;
    }
}
