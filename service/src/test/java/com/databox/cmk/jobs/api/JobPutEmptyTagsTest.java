package com.databox.cmk.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.jobs.JobCaller;
import com.databox.cmk.jobs.JobKey;
import com.databox.cmk.jobs.JobOperation;
import com.databox.cmk.jobs.JobRecord;
import com.databox.cmk.jobs.JobRecords;
import com.databox.cmk.jobs.JobService;
import com.databox.cmk.jobs.JobView;
import com.databox.cmk.jobs.JobsAccess;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * bb91: a job created without tags is answered with {@code "tags": {}}; a PUT of the same job with {@code "tags": {}}
 * (what azure.mgmt.databox sends for {@code tags={}}, and for a GET's answer sent back) describes the job as it is,
 * and so does the reverse, as DATABOX-ARM-API.md says such a PUT answers 200 with the job. Both answer 409
 * JobAlreadyExists today: {@code JobDocuments.sameValue(null, "{}")} is false.
 */
class JobPutEmptyTagsTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final JobService jobs = new JobService(
            new MapJobRecords(), stack.services.orders(), stack.services.encryption(), JobsAccess.ANYONE, stack.clock);
    private final JobCaller caller =
            new JobCaller(InMemoryStack.ACTOR, "User", InMemoryStack.TENANT.value(), InMemoryStack.CALLER_OID);
    private final JobRequests requests = new JobRequests(new ObjectMapper());

    private static final String REST = "\"location\":\"westus\",\"sku\":{\"name\":\"DataBox\"},"
            + "\"properties\":{\"transferType\":\"ImportToAzure\",\"details\":{\"jobDetailsType\":\"DataBox\","
            + "\"contactDetails\":{\"contactName\":\"Ada\",\"phone\":\"0000000000\",\"emailList\":[\"ada@example.com\"]}}}}";
    private static final String NO_TAGS = "{" + REST;
    private static final String EMPTY_TAGS = "{\"tags\":{}," + REST;

    @Test
    void aJobMadeWithoutTagsPutAgainWithEmptyTagsAnswersTheJobAsItIs() {
        JobKey key = new JobKey(UUID.randomUUID().toString(), "rg", "notags");
        JobView created = jobs.create(key, requests.create(NO_TAGS.getBytes(StandardCharsets.UTF_8)), null, caller);

        JobView again = jobs.create(key, requests.create(EMPTY_TAGS.getBytes(StandardCharsets.UTF_8)), null, caller);

        assertThat(again.etag()).isEqualTo(created.etag());
    }

    @Test
    void aJobMadeWithEmptyTagsPutAgainWithoutTagsAnswersTheJobAsItIs() {
        JobKey key = new JobKey(UUID.randomUUID().toString(), "rg", "emptytags");
        JobView created = jobs.create(key, requests.create(EMPTY_TAGS.getBytes(StandardCharsets.UTF_8)), null, caller);

        JobView again = jobs.create(key, requests.create(NO_TAGS.getBytes(StandardCharsets.UTF_8)), null, caller);

        assertThat(again.etag()).isEqualTo(created.etag());
    }

    /** Just enough of a job table for create: records by key, an ETag per write. */
    private static final class MapJobRecords implements JobRecords {
        private final Map<JobKey, JobRecord> rows = new ConcurrentHashMap<>();
        private final Map<String, String> subscriptions = new ConcurrentHashMap<>();

        private static JobRecord tagged(JobRecord r) {
            return new JobRecord(
                    r.key(),
                    r.orderName(),
                    r.state(),
                    r.tenantId(),
                    r.tags(),
                    r.sku(),
                    r.properties(),
                    r.createdBy(),
                    r.createdAt(),
                    r.lastModifiedBy(),
                    r.lastModifiedAt(),
                    UUID.randomUUID().toString());
        }

        @Override
        public Optional<JobRecord> find(JobKey key) {
            return Optional.ofNullable(rows.get(key));
        }

        @Override
        public JobRecord insert(JobRecord record) {
            JobRecord stored = tagged(record);
            rows.put(record.key(), stored);
            return stored;
        }

        @Override
        public JobRecord replace(JobRecord record) {
            JobRecord stored = tagged(record);
            rows.put(record.key(), stored);
            return stored;
        }

        @Override
        public void delete(JobKey key) {
            rows.remove(key);
        }

        @Override
        public boolean deleteIfUnchanged(JobRecord record) {
            rows.remove(record.key());
            return true;
        }

        @Override
        public Page list(String subscriptionId, String resourceGroup, int top, String after) {
            return new Page(new ArrayList<>(rows.values()), null);
        }

        @Override
        public String bindSubscription(String subscriptionId, String tenantId) {
            return subscriptions.computeIfAbsent(subscriptionId, s -> tenantId);
        }

        @Override
        public Optional<String> subscriptionTenant(String subscriptionId) {
            return Optional.ofNullable(subscriptions.get(subscriptionId));
        }

        @Override
        public void saveOperation(JobOperation operation) {}

        @Override
        public Optional<JobOperation> findOperation(String subscriptionId, String operationId) {
            return Optional.empty();
        }

        @Override
        public int deleteOperationsEndedBefore(Instant cutoff, int max) {
            return 0;
        }
    }
}
