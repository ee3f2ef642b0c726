package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.UnconfirmedWriteException;
import com.databox.cmk.jobs.storage.TableJobRecords;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A job whose order was sent to storage but never confirmed (storage stopped answering): the order may be
 * stored, so the job's record stays Creating instead of being removed as for a refused order, and the
 * caller's retry finds the order and finishes the job. Job records on Azurite, the rest in memory.
 */
class JobCreationUnconfirmedTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final TableJobRecords records =
            new TableJobRecords(Azurite.shared().newTable("jobsunconfirmed").buildClient());
    private final JobService jobs = stack.jobs(records);
    private final JobKey key = new JobKey(UUID.randomUUID().toString(), "rg-unconfirmed", "job-unconfirmed-1");
    private final JobCaller caller = InMemoryStack.JOB_CALLER;
    private final JobDraft draft = new JobDraft("westus", null, null, null, IdentityUpdate.NONE, null);

    @Test
    void anUnconfirmedOrderKeepsTheJobCreatingAndTheRetryFinishesIt() {
        stack.orders.storeNextWriteUnconfirmed();

        assertThatThrownBy(() -> jobs.create(key, draft, IfMatch.ABSENT, caller))
                .isInstanceOf(UnconfirmedWriteException.class);

        assertThat(records.find(key)).get().extracting(JobRecord::state).isEqualTo(JobRecord.CREATING);
        OrderRef order = new OrderRef(InMemoryStack.TENANT, new OrderName(key.orderName()));
        assertThat(stack.orders.find(order)).as("the order the write stored").isPresent();

        JobView created = jobs.create(key, draft, IfMatch.ABSENT, caller);

        assertThat(created.record().state()).isEqualTo(JobRecord.SUCCEEDED);
        assertThat(jobs.get(key, caller).record().orderName()).isEqualTo(key.orderName());
    }
}
