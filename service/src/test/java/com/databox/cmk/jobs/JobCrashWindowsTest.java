package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.jobs.storage.TableJobRecords;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.Stage;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The process killed between two storage writes of a job's request. A kill is modelled by an
 * {@link Error} thrown at the point (no {@code catch (RuntimeException)} runs, as none would in a dead process);
 * the state left in storage is then driven by a fresh service, as after a restart.
 */
class JobCrashWindowsTest {
    /** The process dies here: nothing after this point runs. */
    static final class Killed extends Error {
        Killed(String where) {
            super("killed " + where);
        }
    }

    private final InMemoryStack stack = new InMemoryStack();
    private final TableJobRecords records =
            new TableJobRecords(Azurite.shared().newTable("jobcrash").buildClient());
    private final JobService jobs = stack.jobs(records);
    private final JobKey key = new JobKey(UUID.randomUUID().toString(), "rg-crash", "job-1");
    private final JobCaller caller = InMemoryStack.JOB_CALLER;

    private JobService killedAt(String recordsMethod) {
        JobRecords dying = (JobRecords) java.lang.reflect.Proxy.newProxyInstance(
                JobRecords.class.getClassLoader(), new Class<?>[] {JobRecords.class}, (proxy, method, args) -> {
                    if (method.getName().equals(recordsMethod)) {
                        throw new Killed("before records." + recordsMethod);
                    }
                    try {
                        return method.invoke(records, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return stack.jobs(dying);
    }

    /** A job with a system-assigned identity and a tag, as the PUT that is cut short sends it. */
    private static final JobDraft CUT_SHORT = new JobDraft(
            "westus", "{\"t\":\"a\"}", null, null, new IdentityUpdate(true, false, Set.of(), Set.of()), null);

    /** A PUT killed after its order is made, before its record says Succeeded; its order. */
    private OrderRef putKilledAfterItsOrderIsMade() {
        assertThatThrownBy(() -> killedAt("replace").create(key, CUT_SHORT, IfMatch.ABSENT, caller))
                .isInstanceOf(Killed.class);
        return new OrderRef(InMemoryStack.TENANT, new OrderName(key.orderName()));
    }

    private static String outcome(Runnable call) {
        try {
            call.run();
            return "ok";
        } catch (JobException e) {
            return e.kind() + " " + e.code() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /**
     * PUT killed after the order is made, before the record says Succeeded. While the PUT could still be under
     * way the job is not shown; after that, the job is the one the PUT recorded: GET, list, PATCH, cancel and
     * DELETE reach it. Before, only the byte-identical PUT did, and the order and its system-assigned identity
     * stayed for ever.
     */
    @Test
    void aPutKilledAfterItsOrderIsMadeIsFinishedByTheNextRequestThatReadsIt() {
        OrderRef order = putKilledAfterItsOrderIsMade();
        String password = stack.revealPassword(order);
        assertThat(outcome(() -> jobs.get(key, caller)))
                .as("a creation that may be under way")
                .contains("NotFound");

        stack.advance(JobService.CREATION_MAY_TAKE.plusMinutes(10));
        assertThat(jobs.list(key.subscriptionId(), key.resourceGroup(), 10, null, caller)
                        .jobs())
                .singleElement()
                .satisfies(job -> assertThat(job.record().state()).isEqualTo(JobRecord.SUCCEEDED));
        JobView shown = jobs.get(key, caller);
        assertThat(shown.record().tags()).isEqualTo("{\"t\":\"a\"}");
        assertThat(shown.record().orderName()).isEqualTo(key.orderName());
        assertThat(outcome(() -> jobs.update(
                        key,
                        new JobPatch("{\"t\":\"b\"}", UnaryOperator.identity(), null, null),
                        IfMatch.ABSENT,
                        caller)))
                .isEqualTo("ok");
        assertThat(jobs.get(key, caller).record().tags()).isEqualTo("{\"t\":\"b\"}");
        assertThat(stack.revealPassword(order)).isEqualTo(password);

        assertThat(outcome(() -> jobs.cancel(key, UnaryOperator.identity(), IfMatch.ABSENT, caller)))
                .isEqualTo("ok");
        assertThat(jobs.delete(key, IfMatch.ABSENT, caller)).isTrue();
        assertThat(records.find(key)).isEmpty();
    }

    /**
     * A PUT that goes on with a record left long ago makes its order now: until that order is older than any request
     * may take, the PUT may still be finishing the job, and a GET meanwhile must not finish it with the old PUT's
     * tags (review of 2026-12-06, F2: the GET wrote them, and the PUT that made the order answered 409).
     */
    @Test
    void aJobWhoseOrderIsNewIsLeftToThePutFinishingIt() {
        java.time.Instant longAgo = stack.clock.instant();
        records.insert(new JobRecord(
                key,
                key.orderName(),
                JobRecord.CREATING,
                caller.tenantId(),
                "{\"t\":\"a\"}",
                null,
                null,
                caller,
                longAgo,
                caller,
                longAgo,
                null));
        stack.advance(JobService.CREATION_MAY_TAKE.plusMinutes(10));
        JobDraft retried = new JobDraft("westus", "{\"t\":\"b\"}", null, null, IdentityUpdate.NONE, null);
        assertThatThrownBy(() -> killedAt("replace").create(key, retried, IfMatch.ABSENT, caller))
                .isInstanceOf(Killed.class);

        assertThat(outcome(() -> jobs.get(key, caller)))
                .as("the order is new: its PUT may still be finishing the job")
                .contains("NotFound");
        stack.advance(JobService.CREATION_MAY_TAKE.plusMinutes(1));
        assertThat(jobs.get(key, caller).record().state()).isEqualTo(JobRecord.SUCCEEDED);
    }

    /** The identical PUT after the kill finishes the job, with the same order and password (held). */
    @Test
    void theSamePutAfterTheKillFinishesTheJob() {
        OrderRef order = putKilledAfterItsOrderIsMade();
        String password = stack.revealPassword(order);
        JobView job = jobs.create(key, CUT_SHORT, IfMatch.ABSENT, caller);
        assertThat(job.record().state()).isEqualTo(JobRecord.SUCCEEDED);
        assertThat(job.record().orderName()).isEqualTo(key.orderName());
        assertThat(stack.revealPassword(order)).isEqualTo(password);
    }

    /**
     * Cancel killed after the order moved to Cancelled, before the reason is written on the record: the retry
     * answers success (the order is Cancelled) and never writes the reason.
     */
    @Test
    void aCancelKilledBeforeItsReasonIsWrittenRecordsItOnRetry() {
        jobs.create(key, new JobDraft("westus", null, null, "{}", IdentityUpdate.NONE, null), IfMatch.ABSENT, caller);
        UnaryOperator<String> reason = reason("wrong site");
        assertThatThrownBy(() -> killedAt("replace").cancel(key, reason, IfMatch.ABSENT, caller))
                .isInstanceOf(Killed.class);
        assertThat(jobs.get(key, caller).order().stage()).isEqualTo(Stage.Cancelled);

        JobView retried = jobs.cancel(key, reason, IfMatch.ABSENT, caller);

        assertThat(retried.record().properties())
                .as("the retried cancel records the reason it was sent with")
                .contains("wrong site");
        String etag = retried.record().etag();
        JobView again = jobs.cancel(key, reason("another"), IfMatch.ABSENT, caller);
        assertThat(again.record().properties()).contains("wrong site").doesNotContain("another");
        assertThat(again.record().etag()).as("a second cancel writes nothing").isEqualTo(etag);
    }

    /** As the cancel request's reason records itself: a reason already recorded is kept. */
    private static UnaryOperator<String> reason(String reason) {
        return stored -> stored != null && stored.contains("cancellationReason")
                ? stored
                : "{\"cancellationReason\":\"" + reason + "\"}";
    }

    /**
     * Held: a PATCH attaching a user-assigned identity and moving the key onto it, killed after the attach was
     * written and before the key change: the order keeps the Microsoft-managed key and its password; the same
     * PATCH sent again changes the key.
     */
    @Test
    void aPatchKilledBetweenItsAttachAndItsKeyChangeIsFinishedByTheSamePatch() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        jobs.create(key, new JobDraft("westus", null, null, null, IdentityUpdate.NONE, null), IfMatch.ABSENT, caller);
        OrderRef order = new OrderRef(InMemoryStack.TENANT, new OrderName(key.orderName()));
        String password = stack.revealPassword(order);
        JobPatch patch = new JobPatch(
                null,
                UnaryOperator.identity(),
                new IdentityUpdate(false, true, Set.of(kek.identityId()), Set.of()),
                new com.databox.cmk.jobs.KekChange(
                        true,
                        RequestedKeyUrl.read(kek.keyUrl()),
                        null,
                        new com.databox.cmk.order.KeyIdentity.UserAssigned(kek.identityId())));
        stack.orders.afterNextWrite(() -> {
            throw new Killed("after the attach's write");
        });
        assertThatThrownBy(() -> jobs.update(key, patch, IfMatch.ABSENT, caller))
                .isInstanceOf(Killed.class);
        assertThat(stack.stored(order).identity().userAssignedIds()).contains(kek.identityId());
        assertThat(stack.revealPassword(order)).isEqualTo(password);

        jobs.update(key, patch, IfMatch.ABSENT, caller);
        assertThat(stack.stored(order).protection())
                .isInstanceOf(com.databox.cmk.order.KeyProtection.CustomerManaged.class);
        assertThat(stack.revealPassword(order)).isEqualTo(password);
    }

    /** The workaround outside the ARM surface: cancel the order through /api/orders, then DELETE the job. */
    @Test
    void afterTheKillTheOrdersApiCancelThenDeleteRemovesTheJob() {
        OrderRef order = putKilledAfterItsOrderIsMade();
        stack.advance(JobService.CREATION_MAY_TAKE.plusMinutes(10));
        stack.services.orders().moveStage(order, Stage.Cancelled, IfMatch.ABSENT, InMemoryStack.ACTOR);
        assertThat(jobs.delete(key, IfMatch.ABSENT, caller)).isTrue();
        assertThat(records.find(key)).isEmpty();
    }
}
