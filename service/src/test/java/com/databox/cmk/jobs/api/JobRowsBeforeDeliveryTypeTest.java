package com.databox.cmk.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.jobs.JobCaller;
import com.databox.cmk.jobs.JobDraft;
import com.databox.cmk.jobs.JobKey;
import com.databox.cmk.jobs.JobService;
import com.databox.cmk.jobs.JobView;
import com.databox.cmk.jobs.storage.TableJobRecords;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Upgrades (bug bash bb88, F1): a job created before 2026-12-06 08:20 (d38295d) was stored without
 * {@code deliveryType}; today's create stores its default, {@code NonScheduled}, and a PUT describing the job
 * as it is (the SDKs' retry of a PUT whose answer was lost, a template deployed again) answers 200 with the
 * job (DATABOX-ARM-API.md). For such an older job, the same PUT must too: its row lacks only the default.
 */
class JobRowsBeforeDeliveryTypeTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final TableJobRecords records =
            new TableJobRecords(Azurite.shared().newTable("jobrowsbefore").buildClient());
    private final JobService jobs = stack.jobs(records);
    private final JobKey key = new JobKey(UUID.randomUUID().toString(), "rg", "oldjob4");
    private final JobCaller caller = InMemoryStack.JOB_CALLER;
    private final ObjectMapper json = new ObjectMapper();

    /** The body azure.mgmt.databox's begin_create sends for a Microsoft-managed job with a contact. */
    private static final String BODY = "{\"location\":\"westus\",\"sku\":{\"name\":\"DataBox\"},"
            + "\"properties\":{\"transferType\":\"ImportToAzure\",\"details\":{\"jobDetailsType\":\"DataBox\","
            + "\"contactDetails\":{\"contactName\":\"Ada\",\"phone\":\"0000000000\",\"emailList\":[\"ada@example.com\"]}}}}";

    @Test
    void thePutThatCreatedAJobBeforeDeliveryTypeWasStoredAnswersTheJobAsItIs() throws Exception {
        JobDraft today = new JobRequests(json).create(BODY.getBytes(StandardCharsets.UTF_8), ApiVersions.V2025_02_01);
        // The row as d970687 wrote it for this body: the same properties, without the default deliveryType
        // (seen in Table Storage: oldjob4 written by d970687, newjob4 by today's main; they differ only there).
        ObjectNode properties = (ObjectNode) json.readTree(today.properties());
        properties.remove("deliveryType");
        JobDraft before = new JobDraft(
                today.location(),
                today.tags(),
                today.sku(),
                properties.toString(),
                today.identity(),
                today.keyEncryptionKey());
        JobView created = jobs.create(key, before, IfMatch.ABSENT, caller);

        JobView again = jobs.create(key, today, IfMatch.ABSENT, caller); // today: 409 JobAlreadyExists

        assertThat(again.record().orderName()).isEqualTo(created.record().orderName());
        assertThat(again.etag()).isEqualTo(created.etag());
    }

    /**
     * bb88 F2: the same job described with its members in another order (a GET's answer sent back, a template, another
     * SDK) is the job as it is too; the comparison is of the stored JSON text, so it answers 409 JobAlreadyExists.
     */
    @Test
    void thePutOfTheSameJobWithItsMembersInAnotherOrderAnswersTheJobAsItIs() {
        String reordered = "{\"location\":\"westus\",\"sku\":{\"name\":\"DataBox\"},"
                + "\"properties\":{\"details\":{\"contactDetails\":{\"phone\":\"0000000000\",\"contactName\":\"Ada\","
                + "\"emailList\":[\"ada@example.com\"]},\"jobDetailsType\":\"DataBox\"},\"transferType\":\"ImportToAzure\"}}";
        JobRequests requests = new JobRequests(json);
        JobView created = jobs.create(
                key,
                requests.create(BODY.getBytes(StandardCharsets.UTF_8), ApiVersions.V2025_02_01),
                IfMatch.ABSENT,
                caller);

        JobView again = jobs.create(
                key,
                requests.create(reordered.getBytes(StandardCharsets.UTF_8), ApiVersions.V2025_02_01),
                IfMatch.ABSENT,
                caller);

        assertThat(again.etag()).isEqualTo(created.etag());
    }
}
