package com.databox.cmk.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.jobs.ImmutableMembers;
import com.databox.cmk.jobs.JobDraft;
import com.databox.cmk.jobs.JobErrorCode;
import com.databox.cmk.jobs.JobException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The validation of the jobs API's request bodies without Quarkus: the app roles a PATCH takes, the devicePassword
 * refused, and the limits at their edges (mt2: none of this had a test that ran without the stack).
 */
class JobRequestsUnitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JobRequests REQUESTS = new JobRequests(JSON);
    private static final String KEK_URL = "https://contoso.vault.azure.net/keys/databox-kek";
    private static final String UAI = "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg/"
            + "providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

    private static byte[] body(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JobDraft create(byte[] body) {
        return REQUESTS.create(body, ApiVersions.V2025_02_01);
    }

    /** A PATCH of the job's key encryption key alone. */
    private static byte[] keyPatch(Map<String, Object> keyEncryptionKey) {
        return body(Map.of("properties", Map.of("details", Map.of("keyEncryptionKey", keyEncryptionKey))));
    }

    private static Map<String, Object> customerKey() {
        return Map.of("kekType", "CustomerManaged", "kekUrl", KEK_URL);
    }

    private static Map<String, Object> job(Map<String, Object> details, Map<String, Object> tags) {
        Map<String, Object> allDetails = new LinkedHashMap<>(details);
        allDetails.put("jobDetailsType", "DataBox");
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("location", "westus");
        job.put("sku", Map.of("name", "DataBox"));
        if (tags != null) {
            job.put("tags", tags);
        }
        job.put("properties", Map.of("transferType", "ImportToAzure", "details", allDetails));
        return job;
    }

    private static Map<String, Object> tags(int count, int nameLength, int valueLength) {
        Map<String, Object> tags = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = String.format(Locale.ROOT, "%03d", i);
            tags.put(name + "n".repeat(Math.max(0, nameLength - name.length())), "v".repeat(valueLength));
        }
        return tags;
    }

    private static void assertInvalid(Runnable request, String target) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(JobException.class, e -> {
            assertThat(e.code()).isEqualTo(JobErrorCode.InvalidRequestContent);
            assertThat(e.target()).isEqualTo(target);
        });
    }

    /** A PATCH of the key only takes the key role; one that changes anything else as well takes the write role too. */
    @Test
    void aPatchOfTheKeyTakesTheKeyRoleAndAnythingElseTheWriteRoleToo() {
        JobRequests.Patch keyOnly = REQUESTS.update(keyPatch(customerKey()));
        assertThat(keyOnly.needsKeyRole()).isTrue();
        assertThat(keyOnly.needsWriteRole()).isFalse();

        JobRequests.Patch keyAndTags = REQUESTS.update(body(Map.of(
                "tags", Map.of("a", "b"),
                "properties", Map.of("details", Map.of("keyEncryptionKey", customerKey())))));
        assertThat(keyAndTags.needsKeyRole()).isTrue();
        assertThat(keyAndTags.needsWriteRole()).isTrue();

        JobRequests.Patch keyAndContact = REQUESTS.update(body(Map.of(
                "properties",
                Map.of(
                        "details",
                        Map.of("keyEncryptionKey", customerKey(), "contactDetails", Map.of("contactName", "Ada"))))));
        assertThat(keyAndContact.needsKeyRole()).isTrue();
        assertThat(keyAndContact.needsWriteRole()).isTrue();

        JobRequests.Patch keyAndDelivery = REQUESTS.update(body(Map.of(
                "properties",
                Map.of(
                        "deliveryInfo",
                        Map.of("scheduledDateTime", "2030-01-01T09:00:00Z"),
                        "details",
                        Map.of("keyEncryptionKey", customerKey())))));
        assertThat(keyAndDelivery.needsWriteRole()).isTrue();

        JobRequests.Patch identityOnly = REQUESTS.update(body(Map.of("identity", Map.of("type", "SystemAssigned"))));
        assertThat(identityOnly.needsKeyRole()).isFalse();
        assertThat(identityOnly.needsWriteRole()).isTrue();
    }

    /**
     * 2020-11-01's details have a read-only {@code keyEncryptionKey}, which its SDK leaves out of every PUT: the
     * PUT says nothing of the key then (bug bash rt1 F2), unlike a later version's, which leaves it out for the
     * Microsoft-managed key.
     */
    @Test
    void aPutOf2020WithoutTheKeySaysNothingOfIt() {
        byte[] withoutKey = body(job(Map.of(), null));
        assertThat(REQUESTS.create(withoutKey, ApiVersions.V2020_11_01).keyReadOnly())
                .isTrue();
        assertThat(REQUESTS.create(withoutKey, ApiVersions.V2025_02_01).keyReadOnly())
                .isFalse();
        assertThat(REQUESTS.create(body(job(Map.of("keyEncryptionKey", customerKey()), null)), ApiVersions.V2020_11_01)
                        .keyReadOnly())
                .isFalse();
    }

    @Test
    void aDevicePasswordIsNeverTaken() {
        assertInvalid(
                () -> create(body(job(Map.of("devicePassword", "Abcdefgh#1234"), null))),
                "properties.details.devicePassword");
        assertInvalid(
                () -> REQUESTS.update(
                        body(Map.of("properties", Map.of("details", Map.of("devicePassword", "Abcdefgh#1234"))))),
                "properties.details.devicePassword");
    }

    /** ARM's tag limits: 50 tags, names of 512 characters, values of 256; one more is refused. */
    @Test
    void tagsAreTakenUpToTheirLimitsAndRefusedBeyond() {
        JobDraft draft = create(body(job(Map.of(), tags(50, 512, 256))));
        assertThat(draft.tags()).contains("n".repeat(500)).contains("v".repeat(256));

        assertInvalid(() -> create(body(job(Map.of(), tags(51, 3, 1)))), "tags");
        assertInvalid(() -> create(body(job(Map.of(), tags(1, 513, 1)))), "tags");
        assertInvalid(() -> create(body(job(Map.of(), tags(1, 3, 257)))), "tags");
        assertInvalid(() -> REQUESTS.update(body(Map.of("tags", tags(51, 3, 1)))), "tags");
    }

    @Test
    void aCancellationReasonOfAtMost1024CharactersIsRecorded() {
        UnaryOperator<String> reason = REQUESTS.cancellationReason(body(Map.of("reason", "r".repeat(1024))));
        assertThat(reason.apply(null)).contains("r".repeat(1024));

        assertInvalid(() -> REQUESTS.cancellationReason(body(Map.of("reason", "r".repeat(1025)))), "reason");
        assertInvalid(() -> REQUESTS.cancellationReason(body(Map.of("reason", " "))), "reason");
    }

    @Test
    void aKekUrlOfAtMost2048CharactersGoesOnToTheKeyChecks() {
        String longest = KEK_URL + "/" + "a".repeat(2048 - KEK_URL.length() - 1);
        JobRequests.Patch patch = REQUESTS.update(keyPatch(Map.of("kekType", "CustomerManaged", "kekUrl", longest)));
        assertThat(patch.patch().keyEncryptionKey().kekUrl().asGiven()).hasSize(2048);

        assertInvalid(
                () -> REQUESTS.update(keyPatch(Map.of("kekType", "CustomerManaged", "kekUrl", longest + "a"))),
                JobRequests.KEK + ".kekUrl");
    }

    /**
     * Differential bug bash df1 F1: a refused enum value's message listed the accepted values in a Set.of's order,
     * which each JVM start draws anew, so two instances answered the same request in two wordings.
     */
    @Test
    void aRefusedEnumValueListsTheAcceptedOnesInTheSpecsOrder() {
        assertThatThrownBy(() -> REQUESTS.update(keyPatch(Map.of("kekType", "Nope"))))
                .hasMessage("'Nope' is not a valid value of '" + JobRequests.KEK
                        + ".kekType': use one of [MicrosoftManaged, CustomerManaged].");
        assertThatThrownBy(() -> REQUESTS.update(keyPatch(Map.of(
                        "kekType",
                        "CustomerManaged",
                        "kekUrl",
                        KEK_URL,
                        "identityProperties",
                        Map.of("type", "Nope")))))
                .hasMessage("'Nope' is not a valid value of '" + JobRequests.KEK
                        + ".identityProperties.type': use one of [SystemAssigned, UserAssigned].");
        assertThatThrownBy(() -> REQUESTS.update(body(Map.of("properties", Map.of("deliveryType", "Nope")))))
                .hasMessage("'Nope' is not a valid value of 'properties.deliveryType': use one of [NonScheduled, "
                        + "Scheduled].");
        assertThatThrownBy(() -> REQUESTS.update(body(Map.of("properties", Map.of("transferType", "Nope")))))
                .hasMessage("'Nope' is not a valid value of 'properties.transferType': use one of [ImportToAzure, "
                        + "ExportFromAzure].");
    }

    @Test
    void aMicrosoftManagedKeyTakesNoUrlNorUserAssignedIdentity() {
        assertInvalid(
                () -> REQUESTS.update(keyPatch(Map.of("kekType", "MicrosoftManaged", "kekUrl", KEK_URL))),
                JobRequests.KEK);
        assertInvalid(
                () -> REQUESTS.update(keyPatch(Map.of(
                        "kekType",
                        "MicrosoftManaged",
                        "identityProperties",
                        Map.of("type", "UserAssigned", "userAssigned", Map.of("resourceId", UAI))))),
                JobRequests.KEK);
    }

    @Test
    void userAssignedIdentitiesNeedAnIdentityTypeThatIncludesThem() {
        Map<String, Object> users = new LinkedHashMap<>();
        users.put(UAI, Map.of());
        assertInvalid(
                () -> REQUESTS.update(
                        body(Map.of("identity", Map.of("type", "SystemAssigned", "userAssignedIdentities", users)))),
                "identity.userAssignedIdentities");
    }

    /** null detaches in a PATCH only: a PUT describes the job, and names no identity to detach. */
    @Test
    void aNullUserAssignedIdentityDetachesInAPatchOnly() {
        Map<String, Object> users = new LinkedHashMap<>();
        users.put(UAI, null);
        Map<String, Object> identity = Map.of("type", "UserAssigned", "userAssignedIdentities", users);
        assertThat(REQUESTS.update(body(Map.of("identity", identity)))
                        .patch()
                        .identity()
                        .detach())
                .hasSize(1);
        Map<String, Object> job = job(Map.of(), null);
        job.put("identity", identity);
        assertThat(create(body(job)).identity().detach()).isEmpty();
    }

    /** ARM refuses these characters in tag names; the first and the last of them too. */
    @Test
    void aTagNameWithACharacterArmRefusesIsRefused() {
        for (String name : new String[] {"a<b", "a/b"}) {
            assertThatThrownBy(() -> create(body(job(Map.of(), Map.of(name, "v")))))
                    .isInstanceOfSatisfying(
                            JobException.class,
                            e -> assertThat(e.code()).isEqualTo(JobErrorCode.InvalidTagNameCharacters));
        }
    }

    /** A user-assigned identity is named by its resource ID, in the identity and in the key's identity alike. */
    @Test
    void aUserAssignedIdentityThatIsNoResourceIdIsRefused() {
        Map<String, Object> users = new LinkedHashMap<>();
        users.put("uai-1", Map.of());
        assertInvalid(
                () -> REQUESTS.update(
                        body(Map.of("identity", Map.of("type", "UserAssigned", "userAssignedIdentities", users)))),
                "identity.userAssignedIdentities");
        assertInvalid(
                () -> REQUESTS.update(keyPatch(Map.of(
                        "kekType",
                        "CustomerManaged",
                        "kekUrl",
                        KEK_URL,
                        "identityProperties",
                        Map.of("type", "UserAssigned", "userAssigned", Map.of("resourceId", "uai-1"))))),
                JobRequests.KEK + ".identityProperties.userAssigned.resourceId");
    }

    /** A property the request may not send is refused by name, in the job, a PATCH, the key and a cancel. */
    @Test
    void anUnknownPropertyIsRefusedByName() {
        Map<String, Object> job = job(Map.of(), null);
        job.put("kind", "DataBox");
        assertInvalid(() -> create(body(job)), "kind");
        assertInvalid(() -> REQUESTS.update(body(Map.of("kind", "DataBox"))), "kind");
        assertInvalid(
                () -> REQUESTS.update(body(Map.of("properties", Map.of("transferType2", "x")))),
                "properties.transferType2");
        Map<String, Object> kek = new LinkedHashMap<>(customerKey());
        kek.put("kekUri", KEK_URL);
        assertInvalid(() -> REQUESTS.update(keyPatch(kek)), JobRequests.KEK + ".kekUri");
        assertInvalid(() -> REQUESTS.cancellationReason(body(Map.of("reason", "r", "force", true))), "force");
    }

    /**
     * What the service answers (status, cancellationReason, the key) is never stored from a request: a PUT or a
     * PATCH sending it back leaves it out.
     */
    @Test
    void readOnlyPropertiesSentBackAreNotStored() throws Exception {
        Map<String, Object> job =
                job(Map.of("keyEncryptionKey", customerKey(), "copyProgress", java.util.List.of()), null);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) job.get("properties"));
        properties.put("status", "Completed");
        properties.put("cancellationReason", "forged");
        job.put("properties", properties);
        com.fasterxml.jackson.databind.JsonNode stored =
                JSON.readTree(create(body(job)).properties());
        assertThat(stored.has("status")).isFalse();
        assertThat(stored.has("cancellationReason")).isFalse();
        assertThat(stored.path("details").has("keyEncryptionKey")).isFalse();
        assertThat(stored.path("details").has("copyProgress")).isFalse();

        JobRequests.Patch patch = REQUESTS.update(body(Map.of(
                "properties",
                Map.of(
                        "status",
                        "Completed",
                        "details",
                        Map.of("copyProgress", java.util.List.of(), "contactDetails", Map.of("contactName", "Ada"))))));
        com.fasterxml.jackson.databind.JsonNode patched =
                JSON.readTree(patch.patch().properties().apply("{\"details\":{}}"));
        assertThat(patched.has("status")).isFalse();
        assertThat(patched.path("details").has("copyProgress")).isFalse();
        assertThat(patched.path("details")
                        .path("contactDetails")
                        .path("contactName")
                        .asText())
                .isEqualTo("Ada");
    }

    /**
     * What a job keeps (location, SKU, transfer and delivery types) is taken from a PATCH as the job would be
     * answered (region without spaces in lower case, enum values in the spec's spelling), to be compared with the
     * job's, and never merged into its properties (rt1 F7: each was refused as "not known here").
     */
    @Test
    void whatAJobKeepsIsTakenToBeComparedAndNeverMerged() throws Exception {
        JobRequests.Patch patch = REQUESTS.update(body(Map.of(
                "location",
                "West US",
                "sku",
                Map.of("name", "databox", "displayName", "Data Box"),
                "properties",
                Map.of("transferType", "importtoazure", "deliveryType", "nonscheduled"))));

        ImmutableMembers sent = patch.patch().immutable();
        assertThat(sent.location()).isEqualTo("westus");
        assertThat(JSON.readTree(sent.sku()))
                .isEqualTo(JSON.readTree("{\"name\":\"DataBox\",\"displayName\":\"Data Box\"}"));
        assertThat(sent.transferType()).isEqualTo("ImportToAzure");
        assertThat(sent.deliveryType()).isEqualTo("NonScheduled");
        String stored = "{\"transferType\":\"ImportToAzure\",\"details\":{}}";
        assertThat(patch.patch().properties().apply(stored)).isEqualTo(stored);

        assertThat(REQUESTS.update(body(Map.of("tags", Map.of()))).patch().immutable())
                .isEqualTo(ImmutableMembers.NONE);
        assertInvalid(() -> REQUESTS.update(body(Map.of("location", "west-us"))), "location");
        assertInvalid(() -> REQUESTS.update(body(Map.of("sku", Map.of("name", "DataBoxDisk")))), "sku.name");
        assertInvalid(
                () -> REQUESTS.update(body(Map.of("properties", Map.of("transferType", "Both")))),
                "properties.transferType");
        assertInvalid(
                () -> REQUESTS.update(body(Map.of("properties", Map.of("deliveryType", 1)))),
                "properties.deliveryType");
    }
}
