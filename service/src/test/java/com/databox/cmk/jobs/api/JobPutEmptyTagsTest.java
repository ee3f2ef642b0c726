package com.databox.cmk.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.jobs.JobCaller;
import com.databox.cmk.jobs.JobKey;
import com.databox.cmk.jobs.JobService;
import com.databox.cmk.jobs.JobView;
import com.databox.cmk.jobs.storage.TableJobRecords;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * bb91: a job created without tags is answered with {@code "tags": {}}; a PUT of the same job with {@code "tags": {}}
 * (what azure.mgmt.databox sends for {@code tags={}}, and for a GET's answer sent back) describes the job as it is,
 * and so does the reverse, as DATABOX-ARM-API.md says such a PUT answers 200 with the job. Both answer 409
 * JobAlreadyExists before: none and {@code {}} were compared as different values.
 */
class JobPutEmptyTagsTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final JobService jobs = stack.jobs(
            new TableJobRecords(Azurite.shared().newTable("jobputtags").buildClient()));
    private final JobCaller caller = InMemoryStack.JOB_CALLER;
    private final JobRequests requests = new JobRequests(new ObjectMapper());

    private static final String REST = "\"location\":\"westus\",\"sku\":{\"name\":\"DataBox\"},"
            + "\"properties\":{\"transferType\":\"ImportToAzure\",\"details\":{\"jobDetailsType\":\"DataBox\","
            + "\"contactDetails\":{\"contactName\":\"Ada\",\"phone\":\"0000000000\",\"emailList\":[\"ada@example.com\"]}}}}";
    private static final String NO_TAGS = "{" + REST;
    private static final String EMPTY_TAGS = "{\"tags\":{}," + REST;

    @Test
    void aJobMadeWithoutTagsPutAgainWithEmptyTagsAnswersTheJobAsItIs() {
        JobKey key = new JobKey(UUID.randomUUID().toString(), "rg", "notags");
        JobView created = jobs.create(
                key,
                requests.create(NO_TAGS.getBytes(StandardCharsets.UTF_8), ApiVersions.V2025_02_01),
                IfMatch.ABSENT,
                caller);

        JobView again = jobs.create(
                key,
                requests.create(EMPTY_TAGS.getBytes(StandardCharsets.UTF_8), ApiVersions.V2025_02_01),
                IfMatch.ABSENT,
                caller);

        assertThat(again.etag()).isEqualTo(created.etag());
    }

    @Test
    void aJobMadeWithEmptyTagsPutAgainWithoutTagsAnswersTheJobAsItIs() {
        JobKey key = new JobKey(UUID.randomUUID().toString(), "rg", "emptytags");
        JobView created = jobs.create(
                key,
                requests.create(EMPTY_TAGS.getBytes(StandardCharsets.UTF_8), ApiVersions.V2025_02_01),
                IfMatch.ABSENT,
                caller);

        JobView again = jobs.create(
                key,
                requests.create(NO_TAGS.getBytes(StandardCharsets.UTF_8), ApiVersions.V2025_02_01),
                IfMatch.ABSENT,
                caller);

        assertThat(again.etag()).isEqualTo(created.etag());
    }
}
