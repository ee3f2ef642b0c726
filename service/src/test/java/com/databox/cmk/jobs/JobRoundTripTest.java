package com.databox.cmk.jobs;

import static com.databox.cmk.jobs.ArmJobs.V2020;
import static com.databox.cmk.jobs.ArmJobs.V2025;
import static com.databox.cmk.jobs.ArmJobs.customerKey;
import static com.databox.cmk.jobs.ArmJobs.jobBody;
import static com.databox.cmk.jobs.ArmJobs.patchKey;
import static com.databox.cmk.jobs.ArmJobs.userAssignedIdentity;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.FederatedKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bug bash rt1 (round-trip fidelity) on Microsoft.DataBox/jobs: the SDKs' classic "read, modify, write back"
 * ({@code job = client.jobs.get(...)}, then {@code begin_create(rg, name, job)} or {@code begin_update} with a
 * JobResourceUpdateParameter built from the job read). What a GET answered, sent back, is the job as it is.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class JobRoundTripTest {
    /** The latest api-version the surface serves. */
    private static final String LATEST = "2025-07-01";

    /**
     * F5: a job made without tags is answered {@code "tags": {}}; azure.mgmt.databox and @azure/arm-databox send
     * that back in a JobResourceUpdateParameter built from the GET ({@code tags=job.tags}). The PATCH writes the
     * job (new ETag, lastModifiedAt/By) though nothing changed: PATCH compares the tags as text, where PUT compares
     * them as JSON values (bb91, JobDocuments.sameTags). Tags sent in another member order are written too.
     */
    @Test
    void aPatchSendingBackTheAnsweredTagsKeepsTheJobAsItIs() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        Map<String, Object> body = jobBody(null, null);
        body.remove("tags");
        arm.put(name, body, V2020).then().statusCode(200);
        Response read = arm.get(name, "details");
        assertThat(read.<Map<String, Object>>path("tags")).isEmpty();
        String etag = read.header("ETag");

        Response patched = arm.patch(name, Map.of("tags", Map.of()), V2020, etag);
        assertThat(patched.statusCode()).as(patched.asString()).isEqualTo(200);
        assertThat(patched.header("ETag")).as("the tags the GET answered").isEqualTo(etag);
        assertThat(arm.get(name, null).<String>path("systemData.lastModifiedAt"))
                .isEqualTo(read.<String>path("systemData.lastModifiedAt"));

        String tagged = ArmJobs.newName();
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("a", "1");
        tags.put("b", "2");
        Map<String, Object> withTags = jobBody(null, null);
        withTags.put("tags", tags);
        arm.put(tagged, withTags, V2020).then().statusCode(200);
        String taggedEtag = arm.get(tagged, null).header("ETag");
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("b", "2");
        reordered.put("a", "1");
        Response again = arm.patch(tagged, Map.of("tags", reordered), V2020, taggedEtag);
        assertThat(again.statusCode()).as(again.asString()).isEqualTo(200);
        assertThat(again.header("ETag")).as("the same tags").isEqualTo(taggedEtag);
    }

    /**
     * F2: in 2020-11-01 the job details' {@code keyEncryptionKey} is read-only (azure.mgmt.databox's
     * DataBoxJobDetails marks it so, and leaves it out of every PUT), so
     * {@code client.jobs.begin_create(rg, name, client.jobs.get(rg, name, expand="details"))} of a job on the
     * customer's key sends the job without it. The service reads the absence as the Microsoft-managed key, a
     * change, and answers {@code 409 JobAlreadyExists}; the same call on a job on the Microsoft-managed key answers
     * {@code 200}. ARM ignores read-only properties in a PUT (the RPC), and an idempotent PUT of the job as read
     * must answer the job as it is.
     */
    @Test
    void aPutOf2020AsThePythonClientSendsTheJobItReadAnswersTheJobOnTheCustomersKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        String uai = vault.identity().resourceId();
        arm.put(name, jobBody(userAssignedIdentity(uai), customerKey(vault.keyUrl(), vault.resourceId(), uai)), V2025)
                .then()
                .statusCode(200);
        Response read = given().queryParam("api-version", V2020)
                .queryParam("$expand", "details")
                .get(arm.jobPath(name));
        read.then().statusCode(200);
        Map<String, Object> job = read.path("");
        @SuppressWarnings("unchecked")
        Map<String, Object> details =
                (Map<String, Object>) ((Map<String, Object>) job.get("properties")).get("details");
        details.remove("keyEncryptionKey"); // read-only in 2020-11-01: what azure.mgmt.databox sends

        Response put = arm.put(name, job, V2020);
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo(read.header("ETag"));
        assertThat(arm.get(name, "details").<String>path("properties.details.keyEncryptionKey.kekType"))
                .isEqualTo("CustomerManaged");
    }

    /**
     * F6: a job's order whose key is reached with {@code federatedIdentityClientId} (set through
     * {@code /api/orders/arm-…}, where "its routes work on it"; the jobs surface neither takes nor shows it). A
     * PATCH that sends back the {@code keyEncryptionKey} the GET answered (the SDKs' update built from the job
     * read, say to change the contact details with it) is taken for a change of identity without the federated
     * application: across tenants it is refused ({@code SsemUserErrorCrossTenantIdentityAccessForbidden}), within
     * one tenant the federated client is silently dropped. API.md: "change key keeps it"; sent back unchanged, the
     * key "changes nothing" (DATABOX-ARM-API.md).
     */
    @Test
    void aPatchSendingBackTheAnsweredKeyKeepsTheFederatedApplication() {
        FederatedKeyVault federated = FederatedKeyVault.create();
        federated.consentAndGrant(CustomerKeyVault.ALL_KEY_PERMISSIONS);
        IdentityInfo identity = federated.identity();

        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(userAssignedIdentity(identity.resourceId()), null), V2025)
                .then()
                .statusCode(200);
        CmkOrder order = CmkOrder.existing(new JobKey(arm.subscription, arm.resourceGroup, name).orderName());
        order.enable(federated.enableBody(federated.federated())).then().statusCode(200);

        Response read = arm.get(name, "details");
        String etag = read.header("ETag");
        Map<String, Object> kek = read.path("properties.details.keyEncryptionKey");
        Response patched = arm.patch(name, patchKey(kek), V2025, etag);
        assertThat(patched.statusCode()).as(patched.asString()).isEqualTo(200);
        assertThat(patched.header("ETag")).as("the key as the GET answered it").isEqualTo(etag);
        assertThat(order.get().<String>path("keyEncryptionKey.identityProperties.federatedIdentityClientId"))
                .isEqualTo(federated.application().appId());
    }

    /**
     * F7: the whole body a GET answered (api-version 2020-11-01 and the latest, a job on the Microsoft-managed key
     * and one on the customer's), sent back as a PATCH ({@code az rest --method patch --body <the GET body>}), is the
     * job as it is: 200, the same ETag, nothing written. Its {@code location}, {@code sku},
     * {@code properties.transferType} and {@code properties.deliveryType}, which a PATCH does not change, were each
     * refused as "not known here", also with the job's own value (ARM's OAPI030: an immutable property sent with
     * its current value passes).
     */
    @Test
    void aPatchOfTheWholeBodyAGetAnsweredKeepsTheJobAsItIs() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String uai = vault.identity().resourceId();
        ArmJobs arm = new ArmJobs();
        String microsoftKey = ArmJobs.newName();
        arm.put(microsoftKey, jobBody(null, null), V2025).then().statusCode(200);
        String customersKey = ArmJobs.newName();
        arm.put(
                        customersKey,
                        jobBody(userAssignedIdentity(uai), customerKey(vault.keyUrl(), vault.resourceId(), uai)),
                        V2025)
                .then()
                .statusCode(200);

        for (String name : List.of(microsoftKey, customersKey)) {
            for (String version : List.of(V2020, LATEST)) {
                Response read = given().queryParam("api-version", version)
                        .queryParam("$expand", "details")
                        .get(arm.jobPath(name));
                read.then().statusCode(200);
                Map<String, Object> job = read.path("");

                Response patched = arm.patch(name, job, version, read.header("ETag"));
                assertThat(patched.statusCode())
                        .as(name + " " + version + ": " + patched.asString())
                        .isEqualTo(200);
                assertThat(patched.header("ETag"))
                        .as("the job as the GET answered it")
                        .isEqualTo(read.header("ETag"));
                assertThat(arm.get(name, null).<String>path("systemData.lastModifiedAt"))
                        .isEqualTo(read.<String>path("systemData.lastModifiedAt"));
            }
        }
    }

    /**
     * F7: what a job keeps, sent with another value than the job's, is refused by its path, saying it cannot be
     * changed (not that it is unknown), and the PATCH writes nothing of what else it asked; the job's own value
     * spelled otherwise ("West US", "importtoazure") passes.
     */
    @Test
    void aPatchChangingWhatTheJobKeepsIsRefusedSayingItCannotBeChanged() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        String etag = arm.get(name, null).header("ETag");

        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        changes.put("location", Map.of("location", "eastus"));
        changes.put("sku", Map.of("sku", Map.of("name", "DataBox", "displayName", "Another")));
        changes.put("properties.transferType", Map.of("properties", Map.of("transferType", "ExportFromAzure")));
        changes.put("properties.deliveryType", Map.of("properties", Map.of("deliveryType", "Scheduled")));
        changes.forEach((member, change) -> {
            Map<String, Object> body = new LinkedHashMap<>(change);
            body.put("tags", Map.of("changed", "yes"));
            Response refused = arm.patch(name, body, V2025, null);
            ArmJobs.assertArmError(refused, 400, "InvalidRequestContent");
            assertThat(refused.<String>path("error.target")).isEqualTo(member);
            assertThat(refused.<String>path("error.message"))
                    .contains("'" + member + "' cannot be changed after the job is created")
                    .doesNotContain("not known");
        });
        assertThat(arm.get(name, null).header("ETag")).isEqualTo(etag);

        Response same = arm.patch(
                name,
                Map.of(
                        "location",
                        "West US",
                        "sku",
                        Map.of("name", "databox"),
                        "properties",
                        Map.of("transferType", "importtoazure", "deliveryType", "nonscheduled")),
                V2025,
                etag);
        assertThat(same.statusCode()).as(same.asString()).isEqualTo(200);
        assertThat(same.header("ETag")).isEqualTo(etag);
    }
}
