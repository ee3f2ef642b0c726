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

import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.emulator.ScriptRun;
import com.databox.cmk.jobs.storage.TableJobRecords;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.SeenSecrets;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The spec's JSON types of what a job's properties hold (docs/DATABOX-ARM-API.md): a PUT or PATCH
 * whose details hold a property of another type is refused (400, the property's JSON path as target)
 * and changes nothing, since stored it failed the SDKs' expanded GET of the job for good; every typed
 * detail of the spec is accepted and answered as given; secrets the spec says are never answered
 * (a share password, a carrier account number) are not stored, so never answered.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class JobDetailsTypesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "{'dataAccountType': 'StorageAccount', 'storageAccountId': '/s/sa'}";

    @TestHTTPResource("/")
    URL app;

    /** The app's job records (its table on the tests' Azurite), to store a job as an earlier version did. */
    private final JobRecords records = new TableJobRecords(new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName(ConfigProvider.getConfig()
                    .getOptionalValue("cmk.jobs.table", String.class)
                    .orElse("armjobs"))
            .buildClient());

    /** A property of {@code properties.details} set to a value of another type than the spec's. */
    record Wrong(String field, String value, String target, String mustBe) {}

    private static final List<Wrong> WRONG = List.of(
            new Wrong(
                    "preferences",
                    "{'preferredDataCenterRegion': 'westus'}",
                    "preferences.preferredDataCenterRegion",
                    "an array of strings"),
            new Wrong(
                    "preferences",
                    "{'transportPreferences': 'x'}",
                    "preferences.transportPreferences",
                    "a JSON object"),
            new Wrong(
                    "preferences",
                    "{'encryptionPreferences': 'x'}",
                    "preferences.encryptionPreferences",
                    "a JSON object"),
            new Wrong(
                    "preferences",
                    "{'reverseTransportPreferences': {'preferredShipmentType': 1}}",
                    "preferences.reverseTransportPreferences.preferredShipmentType",
                    "a string"),
            new Wrong(
                    "dataImportDetails",
                    "[{'accountDetails': 'x'}]",
                    "dataImportDetails[0].accountDetails",
                    "a JSON object"),
            new Wrong("dataImportDetails", "['x']", "dataImportDetails[0]", "a JSON object"),
            new Wrong(
                    "dataImportDetails",
                    "{'accountDetails': " + ACCOUNT + "}",
                    "dataImportDetails",
                    "an array of JSON objects"),
            new Wrong(
                    "dataImportDetails",
                    "[{'accountDetails': " + ACCOUNT + "}, {'accountDetails': {'dataAccountType': "
                            + "'ManagedDisk', 'resourceGroupId': ['rg'], 'stagingStorageAccountId': '/s/st'}}]",
                    "dataImportDetails[1].accountDetails.resourceGroupId",
                    "a string"),
            new Wrong(
                    "dataImportDetails",
                    "[{'accountDetails': {'dataAccountType': 'StorageAccount', 'storageAccountId': '/s/sa', "
                            + "'sharePassword': 123456789012}}]",
                    "dataImportDetails[0].accountDetails.sharePassword",
                    "a string"),
            new Wrong(
                    "dataExportDetails",
                    "[{'transferConfiguration': 'x', 'accountDetails': " + ACCOUNT + "}]",
                    "dataExportDetails[0].transferConfiguration",
                    "a JSON object"),
            new Wrong(
                    "dataExportDetails",
                    "[{'transferConfiguration': {'transferConfigurationType': 'TransferAll', 'transferAllDetails': "
                            + "{'include': {'dataAccountType': 'StorageAccount', 'transferAllBlobs': 'yes'}}}, "
                            + "'accountDetails': " + ACCOUNT + "}]",
                    "dataExportDetails[0].transferConfiguration.transferAllDetails.include.transferAllBlobs",
                    "true or false"),
            new Wrong(
                    "dataExportDetails",
                    "[{'transferConfiguration': {'transferConfigurationType': 'TransferUsingFilter', "
                            + "'transferFilterDetails': {'include': {'blobFilterDetails': {'containerList': 'c'}}}}, "
                            + "'accountDetails': " + ACCOUNT + "}]",
                    "dataExportDetails[0].transferConfiguration.transferFilterDetails.include.blobFilterDetails"
                            + ".containerList",
                    "an array of strings"),
            new Wrong(
                    "dataExportDetails",
                    "[{'transferConfiguration': {'transferConfigurationType': 'TransferUsingFilter', "
                            + "'transferFilterDetails': {'include': {'filterFileDetails': [{'filterFileType': "
                            + "'AzureBlob', 'filterFilePath': 7}]}}}, 'accountDetails': " + ACCOUNT + "}]",
                    "dataExportDetails[0].transferConfiguration.transferFilterDetails.include.filterFileDetails[0]"
                            + ".filterFilePath",
                    "a string"),
            new Wrong(
                    "dataExportDetails",
                    "[{'transferConfiguration': {'transferConfigurationType': 'TransferAll'}, 'accountDetails': "
                            + "{'dataAccountType': 'StorageAccount', 'storageAccountId': {'id': '/s/sa'}}}]",
                    "dataExportDetails[0].accountDetails.storageAccountId",
                    "a string"),
            // int32, as the spec's format says: Java's and .NET's clients read it into an int.
            new Wrong("expectedDataSizeInTeraBytes", "1099511627776", "expectedDataSizeInTeraBytes", "(int32)"),
            new Wrong(
                    "expectedDataSizeInTeraBytes",
                    "1000000000000000000000000000000",
                    "expectedDataSizeInTeraBytes",
                    "(int32)"),
            new Wrong("expectedDataSizeInTeraBytes", "1.5", "expectedDataSizeInTeraBytes", "(int32)"),
            new Wrong("expectedDataSizeInTerabytes", "1099511627776", "expectedDataSizeInTerabytes", "(int32)"),
            new Wrong(
                    "shippingAddress",
                    "{'streetAddress1': '1 Main St', 'country': 'US', 'skipAddressValidation': 'yes'}",
                    "shippingAddress.skipAddressValidation",
                    "true or false"),
            new Wrong(
                    "contactDetails",
                    "{'contactName': 'Ada', 'phone': '0', 'emailList': 'ada@example.com'}",
                    "contactDetails.emailList",
                    "an array of strings"),
            new Wrong(
                    "contactDetails",
                    "{'contactName': 'Ada', 'phone': '0', 'emailList': ['a@example.com', 5]}",
                    "contactDetails.emailList[1]",
                    "a string"),
            new Wrong("reverseShippingDetails", "'x'", "reverseShippingDetails", "a JSON object"),
            new Wrong(
                    "reverseShippingDetails",
                    "{'contactDetails': {'contactName': 'Ada', 'phone': 0}}",
                    "reverseShippingDetails.contactDetails.phone",
                    "a string"),
            new Wrong(
                    "returnToCustomerPackageDetails",
                    "{'carrierName': 5}",
                    "returnToCustomerPackageDetails.carrierName",
                    "a string"),
            // An item of an array is never null (bug bash of 2026-12-06, B7: stored).
            new Wrong("dataImportDetails", "[null]", "dataImportDetails[0]", "not null"),
            new Wrong(
                    "contactDetails",
                    "{'contactName': 'Ada', 'phone': '1', 'emailList': ['a@example.com', null]}",
                    "contactDetails.emailList[1]",
                    "one of strings, not null"));

    @Test
    void refusesDetailsOfAnotherTypeThanTheSpecsAndChangesNothing() throws Exception {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        Response before = arm.get(name, "details");
        String etag = before.header("ETag");

        for (Wrong wrong : WRONG) {
            String target = "properties.details." + wrong.target();
            ObjectNode body = JSON.valueToTree(jobBody(null, null));
            ((ObjectNode) body.path("properties").path("details")).set(wrong.field(), json(wrong.value()));
            String job = ArmJobs.newName();
            Response put = arm.put(job, JSON.writeValueAsString(body), V2025);
            assertRefused(put, target, wrong.mustBe());
            assertArmError(arm.get(job, null), 404, "ResourceNotFound");

            Map<String, Object> details = new HashMap<>();
            details.put(wrong.field(), JSON.treeToValue(json(wrong.value()), Object.class));
            for (String version : List.of(V2020, V2025)) {
                Response patch = arm.patch(name, Map.of("properties", Map.of("details", details)), version, etag);
                assertRefused(patch, target, wrong.mustBe());
            }
        }
        // Nothing stored, so the job is as it was: its ETag (a client's If-Match still holds) and its details.
        Response after = arm.get(name, "details");
        assertThat(after.header("ETag")).isEqualTo(etag);
        assertThat(JSON.readTree(after.asString())).isEqualTo(JSON.readTree(before.asString()));

        // The top-level properties stored as given keep theirs too.
        Map<String, Object> notAnObject = jobBody(null, null);
        ((Map<String, Object>) notAnObject.get("properties")).put("deliveryInfo", "tomorrow");
        assertRefused(arm.put(ArmJobs.newName(), notAnObject, V2025), "properties.deliveryInfo", "a JSON object");
    }

    /**
     * Every typed detail of the spec (2025-02-01, its JobsCreate, JobsCreateExport and
     * JobsCreateDoubleEncryption examples and all they leave out) is accepted and answered as given;
     * a PATCH of UpdateJobDetails' too.
     */
    @Test
    void acceptsEveryTypedDetailOfTheSpecAndAnswersItAsGiven() throws Exception {
        ArmJobs arm = new ArmJobs();
        for (ObjectNode body : List.of(importJob(), exportJob())) {
            String name = ArmJobs.newName();
            Response created = arm.put(name, JSON.writeValueAsString(body), V2025);
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(200);
            ObjectNode details =
                    (ObjectNode) JSON.readTree(arm.get(name, "details").asString())
                            .path("properties")
                            .path("details");
            assertThat(details.remove("keyEncryptionKey").path("kekType").asText())
                    .isEqualTo("MicrosoftManaged");
            // Computed by the service, as keyEncryptionKey is: the job's stage and how it stands.
            assertThat(details.remove("jobStages").path(0).path("stageStatus").asText())
                    .isEqualTo("InProgress");
            assertThat(details).isEqualTo(body.path("properties").path("details"));
        }

        String name = ArmJobs.newName();
        arm.put(name, JSON.writeValueAsString(importJob()), V2020).then().statusCode(200);
        JsonNode preferences = json("{'preferredDataCenterRegion': ['eastus'], 'transportPreferences': "
                + "{'preferredShipmentType': 'CustomerManaged'}, 'encryptionPreferences': {'doubleEncryption': "
                + "'Disabled'}}");
        Map<String, Object> patch = Map.of(
                "properties",
                Map.of(
                        "details",
                        Map.of(
                                "preferences",
                                JSON.treeToValue(preferences, Object.class),
                                "returnToCustomerPackageDetails",
                                Map.of("carrierName", "UPS", "trackingId", "1Z999"))));
        arm.patch(name, patch, V2025, null).then().statusCode(200);
        JsonNode details = JSON.readTree(arm.get(name, "details").asString())
                .path("properties")
                .path("details");
        assertThat(details.path("preferences")).isEqualTo(preferences);
        assertThat(details.path("returnToCustomerPackageDetails"))
                .isEqualTo(json("{'carrierName': 'UPS', " + "'trackingId': '1Z999'}"));
        assertThat(details.path("reverseShippingDetails"))
                .isEqualTo(importJob().path("properties").path("details").path("reverseShippingDetails"));

        // The account's discriminator in any case, answered as the spec spells it (the SDKs pick the class by it).
        ObjectNode anyCase = importJob();
        ((ObjectNode) anyCase.at("/properties/details/dataImportDetails/0/accountDetails"))
                .put("dataAccountType", "storageaccount");
        String lower = ArmJobs.newName();
        arm.put(lower, JSON.writeValueAsString(anyCase), V2025).then().statusCode(200);
        assertThat(arm.get(lower, "details")
                        .<String>path("properties.details.dataImportDetails[0].accountDetails.dataAccountType"))
                .isEqualTo("StorageAccount");
    }

    /**
     * The spec's secrets of a job's details ("This will not be returned in Get Call", x-ms-secret) are
     * not stored: no answer holds them, to no caller (one with Orders.Read alone reads expanded details).
     */
    @Test
    void neverAnswersASharePasswordOrACarrierAccountNumber() throws Exception {
        ArmJobs arm = new ArmJobs();
        CustomerKeyVault vault = CustomerKeyVault.create();
        String uai = vault.identity().resourceId();
        String sharePassword = "Sh4re#Pw" + UUID.randomUUID().toString().substring(0, 12);
        String carrierAccount = "ACCT-" + UUID.randomUUID();
        SeenSecrets.record(sharePassword);
        SeenSecrets.record(carrierAccount);
        ObjectNode body = JSON.valueToTree(
                jobBody(userAssignedIdentity(uai), customerKey(vault.keyUrl(), vault.resourceId(), uai)));
        ObjectNode account = (ObjectNode) body.at("/properties/details/dataImportDetails/0/accountDetails");
        account.put("sharePassword", sharePassword);
        String name = ArmJobs.newName();

        List<Response> answers = new java.util.ArrayList<>();
        Response created = arm.put(name, JSON.writeValueAsString(body), V2025);
        assertThat(created.statusCode()).isEqualTo(200);
        answers.add(created);
        Response expanded = arm.get(name, "details");
        assertThat(expanded.<String>path("properties.details.dataImportDetails[0].accountDetails.storageAccountId"))
                .isEqualTo(account.path("storageAccountId").asText());
        assertThat(expanded.<Map<String, Object>>path("properties.details.dataImportDetails[0].accountDetails"))
                .doesNotContainKey("sharePassword");
        answers.add(expanded);
        answers.add(given().header("Authorization", "Bearer " + LocalStack.callerToken("Orders.Read"))
                .queryParam("api-version", V2020)
                .queryParam("$expand", "details")
                .get(arm.jobPath(name)));
        answers.add(given().queryParam("api-version", V2020)
                .get(arm.jobPath(name).substring(0, arm.jobPath(name).lastIndexOf('/'))));
        answers.add(given().queryParam("api-version", V2025)
                .get("/api/subscriptions/" + arm.subscription + "/providers/Microsoft.DataBox/jobs"));

        Response patched = arm.patch(
                name,
                Map.of(
                        "properties",
                        Map.of(
                                "details",
                                Map.of(
                                        "returnToCustomerPackageDetails",
                                        Map.of("carrierName", "UPS", "carrierAccountNumber", carrierAccount)))),
                V2025,
                null);
        assertThat(patched.statusCode()).isEqualTo(200);
        answers.add(patched);
        Response withCarrier = arm.get(name, "details");
        assertThat(withCarrier.<Map<String, Object>>path("properties.details.returnToCustomerPackageDetails"))
                .isEqualTo(Map.of("carrierName", "UPS"));
        answers.add(withCarrier);

        // A long-running PATCH (a new key version): its status and result too.
        Response accepted =
                arm.patch(name, patchKey(customerKey(vault.newVersion(), vault.resourceId(), uai)), V2025, null);
        assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(202);
        answers.add(follow(accepted.header("Azure-AsyncOperation")));
        answers.add(follow(accepted.header("Location")));
        answers.add(arm.get(name, "details"));

        for (Response answer : answers) {
            assertThat(answer.statusCode()).isEqualTo(200);
            String text = answer.asString();
            // Booleans, so that a failure does not put the secret into the test report.
            assertThat(text.contains(sharePassword))
                    .as("an answer holds the share password")
                    .isFalse();
            assertThat(text.contains(carrierAccount))
                    .as("an answer holds the carrier account number")
                    .isFalse();
        }
    }

    /** A job stored with a share password before they were dropped: answered without it, and rid of it at its next change. */
    @Test
    void aSharePasswordStoredBeforeIsNotAnsweredAndGoesAtTheNextChange() throws Exception {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        String sharePassword = "Sh4re#Pw" + UUID.randomUUID().toString().substring(0, 12);
        SeenSecrets.record(sharePassword);
        JobKey key = new JobKey(arm.subscription, arm.resourceGroup, name);
        JobRecord stored = records.find(key).orElseThrow();
        ObjectNode properties = (ObjectNode) JSON.readTree(stored.properties());
        ((ObjectNode) properties.at("/details/dataImportDetails/0/accountDetails")).put("sharePassword", sharePassword);
        records.replace(stored.modified(
                stored.tags(), properties.toString(), stored.lastModifiedBy(), stored.lastModifiedAt()));

        Response expanded = arm.get(name, "details");
        assertThat(expanded.statusCode()).isEqualTo(200);
        assertThat(expanded.asString().contains(sharePassword)).as("answered").isFalse();
        assertThat(expanded.<String>path("properties.details.dataImportDetails[0].accountDetails.storageAccountId"))
                .isNotBlank();

        arm.patch(
                        name,
                        Map.of(
                                "properties",
                                Map.of(
                                        "details",
                                        Map.of("preferences", Map.of("preferredDataCenterRegion", List.of("westus"))))),
                        V2025,
                        null)
                .then()
                .statusCode(200);
        assertThat(records.find(key).orElseThrow().properties().contains(sharePassword))
                .as("still stored after a PATCH of the details")
                .isFalse();
    }

    /**
     * A job stored with values of another type than the spec's, before types were checked: answered
     * without them (an SDK refuses to read the whole job otherwise), and rid of them at its next change.
     */
    @Test
    void valuesOfAnotherTypeStoredBeforeAreNotAnsweredAndGoAtTheNextChange() throws Exception {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        JobKey key = new JobKey(arm.subscription, arm.resourceGroup, name);
        JobRecord stored = records.find(key).orElseThrow();
        ObjectNode properties = (ObjectNode) JSON.readTree(stored.properties());
        properties.put("deliveryInfo", "soon");
        ObjectNode details = (ObjectNode) properties.get("details");
        details.putObject("preferences").put("transportPreferences", "x");
        details.put("expectedDataSizeInTeraBytes", 1L << 40);
        ((ArrayNode) details.get("dataImportDetails")).insert(0, "x");
        records.replace(stored.modified(
                stored.tags(), properties.toString(), stored.lastModifiedBy(), stored.lastModifiedAt()));

        Response expanded = arm.get(name, "details");
        assertThat(expanded.statusCode()).isEqualTo(200);
        assertThat(expanded.<Object>path("properties.deliveryInfo")).isNull();
        assertThat(expanded.<Map<String, Object>>path("properties.details.preferences"))
                .isEmpty();
        assertThat(expanded.<Object>path("properties.details.expectedDataSizeInTeraBytes"))
                .isNull();
        assertThat(expanded.<List<Object>>path("properties.details.dataImportDetails"))
                .hasSize(1);
        assertThat(expanded.<String>path("properties.details.dataImportDetails[0].accountDetails.storageAccountId"))
                .isNotBlank();
        assertThat(arm.get(name, null).<Object>path("properties.deliveryInfo")).isNull();

        arm.patch(
                        name,
                        Map.of(
                                "properties",
                                Map.of("details", Map.of("contactDetails", Map.of("contactName", "Grace Hopper")))),
                        V2025,
                        null)
                .then()
                .statusCode(200);
        JsonNode kept = JSON.readTree(records.find(key).orElseThrow().properties());
        assertThat(kept.has("deliveryInfo"))
                .as("still stored after a PATCH of the details")
                .isFalse();
        assertThat(kept.at("/details/preferences").isEmpty()).isTrue();
        assertThat(kept.at("/details/expectedDataSizeInTeraBytes").isMissingNode())
                .isTrue();
        assertThat(kept.at("/details/dataImportDetails").size()).isEqualTo(1);
    }

    /**
     * The official Python client (Debian's python3-azure, azure.mgmt.databox, 2020-11-01) reads back jobs
     * holding every typed detail, and one it created itself with a share password, which it is not answered.
     */
    @Test
    void officialPythonClientReadsBackEveryTypedDetail() throws Exception {
        ScriptRun.requirePythonModules("azure.mgmt.databox, azure.core");
        ArmJobs arm = new ArmJobs();
        Map<String, String> env = new HashMap<>();
        for (Map.Entry<String, ObjectNode> job :
                Map.of("IMPORT_JOB", importJob(), "EXPORT_JOB", exportJob()).entrySet()) {
            String name = ArmJobs.newName();
            arm.put(name, JSON.writeValueAsString(job.getValue()), V2025).then().statusCode(200);
            env.put(job.getKey(), name);
        }
        String sharePassword = "Sh4re#Pw" + UUID.randomUUID().toString().substring(0, 12);
        SeenSecrets.record(sharePassword);
        env.put("SDK_JOB", ArmJobs.newName());
        env.put("SHARE_PASSWORD", sharePassword);
        env.put("DATABOX_BASE_URL", app.toString().replaceAll("/+$", "") + "/api");
        env.put("DATABOX_SUBSCRIPTION", arm.subscription);
        env.put("DATABOX_RESOURCE_GROUP", arm.resourceGroup);
        env.put("DATABOX_TOKEN", LocalStack.callerToken(LocalStack.ALL_ROLES));

        ScriptRun run = ScriptRun.run(List.of(ScriptRun.PYTHON.toString(), "-c", READ_BACK), env, Duration.ofMinutes(3))
                .print("JobDetailsTypesTest read-back");
        String output = run.output();
        assertThat(run.finished()).as("the script finished within 3 minutes").isTrue();
        assertThat(run.exitCode()).as("exit code; its output:\n" + output).isZero();
        assertThat(output).contains("READ BACK PASSED");
        assertThat(output.contains(sharePassword))
                .as("the script printed the share password")
                .isFalse();
    }

    private static final String READ_BACK = """
            import os, sys, time
            from azure.core.credentials import AccessToken
            from azure.mgmt.databox import DataBoxManagementClient
            from azure.mgmt.databox.v2020_11_01 import models

            E = os.environ
            RG = E["DATABOX_RESOURCE_GROUP"]
            LOCAL = {"enforce_https": False}

            class Token:
                def get_token(self, *scopes, **kwargs):
                    return AccessToken(E["DATABOX_TOKEN"], int(time.time()) + 3600)

            def check(condition, text):
                print(("OK " if condition else "FAILED ") + text, flush=True)
                if not condition:
                    sys.exit(1)

            jobs = DataBoxManagementClient(Token(), E["DATABOX_SUBSCRIPTION"], base_url=E["DATABOX_BASE_URL"],
                                           credential_scopes=["api://databox-cmk/.default"], polling_interval=0).jobs

            d = jobs.get(RG, E["IMPORT_JOB"], expand="details", **LOCAL).details
            check(d.contact_details.notification_preference[1].send_notification is False, "notification preferences")
            check(d.shipping_address.street_address3 == "Floor 3", "shipping address")
            check(d.preferences.preferred_data_center_region == ["westus", "westus2"], "preferred regions")
            check(d.preferences.transport_preferences.preferred_shipment_type == "MicrosoftManaged", "transport")
            check(d.preferences.encryption_preferences.double_encryption == "Enabled", "encryption preferences")
            accounts = [i.account_details for i in d.data_import_details]
            check(isinstance(accounts[0], models.StorageAccountDetails) and accounts[0].storage_account_id.endswith("/sa1"),
                  "a storage account")
            check(isinstance(accounts[1], models.ManagedDiskDetails) and accounts[1].staging_storage_account_id.endswith("/staging"),
                  "managed disks")

            t = jobs.get(RG, E["EXPORT_JOB"], expand="details", **LOCAL).details.data_export_details
            check(t[0].transfer_configuration.transfer_all_details.include.transfer_all_blobs is True, "transfer all")
            include = t[1].transfer_configuration.transfer_filter_details.include
            check(include.blob_filter_details.container_list == ["c"], "blob filter")
            check(include.azure_file_filter_details.file_share_list == ["s"], "file filter")
            check(include.filter_file_details[0].filter_file_path == "/filters/blobs.xml", "filter files")

            jobs.begin_create(RG, E["SDK_JOB"], models.JobResource(
                location="westus", sku=models.Sku(name="DataBox"), transfer_type="ImportToAzure",
                details=models.DataBoxJobDetails(
                    contact_details=models.ContactDetails(contact_name="Ada", phone="0", email_list=["ada@example.com"]),
                    expected_data_size_in_terabytes=80,
                    preferences=models.Preferences(
                        preferred_data_center_region=["westus"],
                        transport_preferences=models.TransportPreferences(preferred_shipment_type="MicrosoftManaged")),
                    data_import_details=[models.DataImportDetails(account_details=models.StorageAccountDetails(
                        storage_account_id="/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z",
                        share_password=E["SHARE_PASSWORD"]))])), **LOCAL).result()
            d = jobs.get(RG, E["SDK_JOB"], expand="details", **LOCAL).details
            check(d.expected_data_size_in_terabytes == 80, "the expected size the client sent")
            check(d.preferences.transport_preferences.preferred_shipment_type == "MicrosoftManaged", "its preferences")
            check(d.data_import_details[0].account_details.share_password is None, "no share password answered")
            check(len(list(jobs.list_by_resource_group(RG, **LOCAL))) == 3, "the list of the three jobs")
            print("READ BACK PASSED")
            """;

    /** A 2025-02-01 import job with every typed detail the spec has for one. */
    static ObjectNode importJob() {
        return (ObjectNode) json("""
                {'location': 'westus', 'sku': {'name': 'DataBox', 'model': 'DataBox'}, 'properties': {
                  'transferType': 'ImportToAzure', 'deliveryType': 'Scheduled',
                  'deliveryInfo': {'scheduledDateTime': '2026-12-24T09:00:00Z'},
                  'details': {
                    'jobDetailsType': 'DataBox',
                    'contactDetails': {'contactName': 'Ada Lovelace', 'phone': '0000000000', 'phoneExtension': '',
                      'mobile': '1111111111', 'emailList': ['ada@example.com', 'ops@example.com'],
                      'notificationPreference': [{'stageName': 'DevicePrepared', 'sendNotification': true},
                                                 {'stageName': 'AtAzureDC', 'sendNotification': false}]},
                    'shippingAddress': {'streetAddress1': '1 Main St', 'streetAddress2': 'Building 2',
                      'streetAddress3': 'Floor 3', 'city': 'Redmond', 'stateOrProvince': 'WA', 'country': 'US',
                      'postalCode': '98052', 'zipExtendedCode': '1234', 'companyName': 'Contoso',
                      'addressType': 'Commercial', 'skipAddressValidation': true, 'taxIdentificationNumber': 'T-1'},
                    'dataImportDetails': [
                      {'accountDetails': {'dataAccountType': 'StorageAccount',
                         'storageAccountId': '/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/sa1'},
                       'logCollectionLevel': 'Verbose'},
                      {'accountDetails': {'dataAccountType': 'ManagedDisk',
                         'resourceGroupId': '/subscriptions/s/resourceGroups/disks',
                         'stagingStorageAccountId': '/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/staging'}}],
                    'preferences': {'preferredDataCenterRegion': ['westus', 'westus2'],
                      'transportPreferences': {'preferredShipmentType': 'MicrosoftManaged'},
                      'reverseTransportPreferences': {'preferredShipmentType': 'CustomerManaged'},
                      'encryptionPreferences': {'doubleEncryption': 'Enabled', 'hardwareEncryption': 'Disabled'},
                      'storageAccountAccessTierPreferences': ['Archive']},
                    'reverseShippingDetails': {
                      'contactDetails': {'contactName': 'Grace Hopper', 'phone': '2222222222', 'phoneExtension': '12',
                        'mobile': '3333333333'},
                      'shippingAddress': {'streetAddress1': '2 Dock Rd', 'city': 'Seattle', 'country': 'US',
                        'postalCode': '98101', 'addressType': 'Residential', 'skipAddressValidation': false}},
                    'expectedDataSizeInTeraBytes': 2147483647}}}
                """);
    }

    /** A 2025-02-01 export job: both transfer configurations, with every filter. */
    static ObjectNode exportJob() {
        ObjectNode job = importJob();
        ObjectNode properties = (ObjectNode) job.path("properties");
        properties.put("transferType", "ExportFromAzure");
        ObjectNode details = (ObjectNode) properties.path("details");
        details.remove(List.of("dataImportDetails", "reverseShippingDetails"));
        details.set("dataExportDetails", json("""
                [{'transferConfiguration': {'transferConfigurationType': 'TransferAll',
                    'transferAllDetails': {'include': {'dataAccountType': 'StorageAccount', 'transferAllBlobs': true,
                      'transferAllFiles': false}}},
                  'logCollectionLevel': 'Error',
                  'accountDetails': {'dataAccountType': 'StorageAccount', 'storageAccountId': '/s/sa1'}},
                 {'transferConfiguration': {'transferConfigurationType': 'TransferUsingFilter',
                    'transferFilterDetails': {'include': {'dataAccountType': 'StorageAccount',
                      'blobFilterDetails': {'blobPrefixList': ['/logs'], 'blobPathList': ['/c/a.txt'], 'containerList': ['c']},
                      'azureFileFilterDetails': {'filePrefixList': ['/f'], 'filePathList': ['/s/b.txt'], 'fileShareList': ['s']},
                      'filterFileDetails': [{'filterFileType': 'AzureBlob', 'filterFilePath': '/filters/blobs.xml'}]}}},
                  'accountDetails': {'dataAccountType': 'StorageAccount', 'storageAccountId': '/s/sa2'}}]
                """));
        return job;
    }

    /** JSON written with single quotes, for legibility. */
    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private static void assertRefused(Response response, String target, String mustBe) {
        assertArmError(response, 400, "InvalidRequestContent");
        assertThat(response.<String>path("error.target"))
                .as(response.asString())
                .isEqualTo(target);
        assertThat(response.<String>path("error.message"))
                .as(response.asString())
                .contains("'" + target + "' must be")
                .contains(mustBe);
    }
}
