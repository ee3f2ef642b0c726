package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.jobs.storage.TableJobRecords;
import com.databox.cmk.order.CustomerResolutionCode;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.Stage;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The job rules that races and repeated names expose: a job created again after its deletion, a
 * PATCH whose key change its own identity change would undo, a PATCH without If-Match meeting
 * another write between its steps, two PUTs of one job. Job records on Azurite, the rest in memory.
 */
class JobServiceTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final TableJobRecords records =
            new TableJobRecords(Azurite.shared().newTable("jobservice").buildClient());
    private final JobService jobs = stack.jobs(records);
    private final JobKey key = new JobKey(UUID.randomUUID().toString(), "rg-jobs", "job-1");
    private final JobCaller caller = InMemoryStack.JOB_CALLER;

    private static JobDraft draft(IdentityUpdate identity) {
        return new JobDraft("westus", null, null, null, identity, null);
    }

    private static JobDraft draft(IdentityUpdate identity, KeyEncryptionKeyRequest key) {
        return new JobDraft("westus", null, null, null, identity, key);
    }

    private static JobPatch patch(IdentityUpdate identity, KekChange key) {
        return new JobPatch(null, UnaryOperator.identity(), identity, key);
    }

    private static IdentityUpdate users(InMemoryStack.CustomerKey key) {
        return new IdentityUpdate(false, true, Set.of(key.identityId()), Set.of());
    }

    /** The order's system-assigned identity, as Key Vault's access policies name it. */
    private static WrappingIdentity systemAssignedOf(Order order) {
        return new WrappingIdentity.ManagedIdentity(
                order.identity().systemAssigned().resourceId());
    }

    /** The job records on Azurite, {@code before} told each call's method name first (and may throw instead). */
    private JobRecords recordsCalling(java.util.function.Consumer<String> before) {
        return (JobRecords) java.lang.reflect.Proxy.newProxyInstance(
                JobRecords.class.getClassLoader(), new Class<?>[] {JobRecords.class}, (proxy, method, args) -> {
                    before.accept(method.getName());
                    try {
                        return method.invoke(records, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The job, created with the key's user-assigned identity, its key then moved to {@code kek} through it. */
    private JobView jobWithCustomerKey(InMemoryStack.CustomerKey kek) {
        jobs.create(key, draft(users(kek)), IfMatch.ABSENT, caller);
        return jobs.update(
                        key,
                        patch(null, keyChange(kek.keyUrl(), new KeyIdentity.UserAssigned(kek.identityId()))),
                        IfMatch.ABSENT,
                        caller)
                .job();
    }

    /** The record a creation writes first, before it makes the order: another request's, under way. */
    private JobRecord insertCreating() {
        return insertRecord(key, JobRecord.CREATING);
    }

    /** A job's record in {@code state}, written alone: no order is made. */
    private JobRecord insertRecord(JobKey job, String state) {
        return records.insert(new JobRecord(
                job,
                job.orderName(),
                state,
                caller.tenantId(),
                null,
                null,
                null,
                caller,
                stack.clock.instant(),
                caller,
                stack.clock.instant(),
                null));
    }

    /**
     * If-None-Match: * on a PUT of a job another request is creating (its record written, its order not yet):
     * 412, and the creation under way is left to finish (bug bash bb84 F5).
     */
    @Test
    void ifNoneMatchStarRefusesAJobAnotherRequestIsCreating() {
        JobRecord creating = insertCreating();
        assertThatThrownBy(() -> jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, "*", caller))
                .isInstanceOfSatisfying(JobException.class, e -> {
                    assertThat(e.kind()).isEqualTo(JobException.Kind.Stale);
                    assertThat(e.target()).isEqualTo("If-None-Match");
                });
        assertThat(records.find(key)).contains(creating);
        assertThat(stack.orders.find(new OrderRef(InMemoryStack.TENANT, new OrderName(key.orderName()))))
                .isEmpty();
    }

    /**
     * An operation is answered for 7 days after it ended, then it is none: its rows were answered for ever
     * (bug bash bb84 F8).
     */
    @Test
    void anOperationIsAnsweredForSevenDaysAfterItEnded() {
        JobView job = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        JobOperation operation = jobs.recordSucceeded(key, job, "update", stack.clock.instant());
        assertThat(operation.jobOrderName()).isEqualTo(job.record().orderName());

        stack.clock.advance(Duration.ofDays(7));
        assertThat(jobs.operation(key.subscriptionId(), "westus", operation.id(), caller))
                .isEqualTo(operation);
        assertThat(jobs.operationJob(operation, caller).record().orderName())
                .isEqualTo(job.record().orderName());

        stack.clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> jobs.operation(key.subscriptionId(), "westus", operation.id(), caller))
                .isInstanceOfSatisfying(
                        JobException.class, e -> assertThat(e.code()).isEqualTo(JobErrorCode.OperationNotFound));
    }

    /**
     * The rows of operations no longer answered are deleted (the audit's timer asks), those still answered
     * kept, and the job itself untouched; they stayed for ever before.
     */
    @Test
    void operationsNoLongerAnsweredAreDeleted() {
        JobView job = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        JobOperation old = jobs.recordSucceeded(key, job, "update", stack.clock.instant());
        stack.clock.advance(Duration.ofDays(1));
        JobOperation recent = jobs.recordSucceeded(key, job, "update", stack.clock.instant());
        stack.clock.advance(Duration.ofDays(6).plusSeconds(1));

        assertThat(jobs.deleteExpiredOperations()).isEqualTo(1);

        assertThat(records.findOperation(key.subscriptionId(), old.id())).isEmpty();
        assertThat(records.findOperation(key.subscriptionId(), recent.id())).contains(recent);
        assertThat(jobs.operation(key.subscriptionId(), "westus", recent.id(), caller))
                .isEqualTo(recent);
        assertThat(records.find(key)).isPresent();
    }

    private OrderRef orderOf(JobView job) {
        return new OrderRef(InMemoryStack.TENANT, new OrderName(job.record().orderName()));
    }

    @Test
    void aJobCreatedAgainAfterItsDeletionGetsANewOrderAndTheOldOneKeepsItsStage() {
        JobView first = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        String firstPassword = stack.revealPassword(orderOf(first));
        jobs.cancel(key, UnaryOperator.identity(), IfMatch.ABSENT, caller);
        assertThat(jobs.delete(key, IfMatch.ABSENT, caller)).isTrue();

        JobView again = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);

        assertThat(again.record().orderName()).isNotEqualTo(first.record().orderName());
        assertThat(again.order().stage()).isEqualTo(Stage.DeviceOrdered);
        assertThat(stack.revealPassword(orderOf(again))).isNotEqualTo(firstPassword);
        assertThat(stack.stored(orderOf(first)).stage())
                .as("the deleted job's order")
                .isEqualTo(Stage.Cancelled);
        assertThat(jobs.get(key, caller).order().stage()).isEqualTo(Stage.DeviceOrdered);
    }

    @Test
    void aKeyChangeThroughAnIdentityTheSamePatchDetachesIsRefusedBeforeAnythingChanges() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(key, draft(users(kek)), IfMatch.ABSENT, caller);
        Order before = job.order();

        assertThatThrownBy(() -> jobs.update(
                        key,
                        patch(
                                new IdentityUpdate(true, false, Set.of(), Set.of()),
                                keyChange(kek.keyUrl(), new KeyIdentity.UserAssigned(kek.identityId()))),
                        IfMatch.ABSENT,
                        caller))
                .isInstanceOfSatisfying(JobException.class, e -> {
                    assertThat(e.kind()).isEqualTo(JobException.Kind.Invalid);
                    assertThat(e.getMessage()).contains(kek.identityId().value());
                });

        Order after = stack.stored(orderOf(job));
        assertThat(after.etag()).isEqualTo(before.etag());
        assertThat(after.protection()).isEqualTo(KeyProtection.MICROSOFT_MANAGED);
    }

    @Test
    void aKeyChangeThroughTheSystemAssignedIdentityTheSamePatchRemovesIsRefused() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job =
                jobs.create(key, draft(new IdentityUpdate(true, false, Set.of(), Set.of())), IfMatch.ABSENT, caller);

        assertThatThrownBy(() -> jobs.update(
                        key,
                        patch(IdentityUpdate.NONE, keyChange(kek.keyUrl(), KeyIdentity.SYSTEM_ASSIGNED)),
                        IfMatch.ABSENT,
                        caller))
                .isInstanceOfSatisfying(
                        JobException.class, e -> assertThat(e.getMessage()).contains("system-assigned"));

        assertThat(stack.stored(orderOf(job)).etag()).isEqualTo(job.order().etag());
    }

    /**
     * One PATCH that adds the system-assigned identity and moves the key to it, before the identity could be
     * granted: refused, and the identity deleted again with the rest. The refusal says that its principal is
     * gone and to add the identity in a request of its own: granting the principal it named, as it asked,
     * and sending the same PATCH again made a new principal each time.
     */
    @Test
    void aKeyMovedToTheSystemAssignedIdentityTheSamePatchAddsSaysThatIdentityIsGoneAgainAndWhatToDo() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(key, draft(users(kek)), IfMatch.ABSENT, caller);

        assertThatThrownBy(() -> jobs.update(
                        key,
                        patch(
                                new IdentityUpdate(true, true, Set.of(kek.identityId()), Set.of()),
                                keyChange(kek.keyUrl(), KeyIdentity.SYSTEM_ASSIGNED)),
                        IfMatch.ABSENT,
                        caller))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.retryAfter()).isNull();
                    assertThat(e.getMessage()).contains("was deleted again with the rest of the request");
                    assertThat(e.resolution()).contains("in a request of its own");
                });

        Order after = stack.stored(orderOf(job));
        assertThat(after.identity().systemAssigned()).isNull();
        assertThat(after.protection()).isEqualTo(KeyProtection.MICROSOFT_MANAGED);
    }

    /**
     * A PATCH attaching an identity and moving the key to it, refused (the identity is not granted), while
     * another request's write lands right after the attach: the attach is still undone. The detach was
     * conditional on the attach's ETag only, so the identity stayed attached while the refusal said nothing
     * had changed (bug bash of 2026-12-06, B1).
     */
    @Test
    void aRefusedKeyChangeUndoesItsAttachEvenWhenAnotherWriteLandedAfterIt() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(key, draft(users(kek)), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);
        UserAssignedIdentityId ungranted =
                stack.identities.createUserAssigned("uai-ungranted").resourceId();
        Order before = stack.stored(order);
        stack.orders.afterNextWrite(() -> stack.orders.put(stack.stored(order)));

        assertThatThrownBy(() -> jobs.update(
                        key,
                        patch(
                                new IdentityUpdate(false, true, Set.of(ungranted), Set.of()),
                                keyChange(kek.keyUrl(), new KeyIdentity.UserAssigned(ungranted))),
                        IfMatch.ABSENT,
                        caller))
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.retryAfter()).isNull());

        Order after = stack.stored(order);
        assertThat(after.identity()).isEqualTo(before.identity());
        assertThat(after.protection()).isEqualTo(before.protection());
    }

    /**
     * A PATCH adding the system-assigned identity and moving the key to it, whose key change is stored but never
     * answered (a storage timeout): the key may now be used through that identity, so it stays. The PATCH took
     * the lost answer for a refusal and undid its attach: the order lost the identity its stored key needed, the
     * identity was deleted, and the retry made an ungranted one and answered success (bug bash of 2026-12-06,
     * never-strand F1).
     */
    @Test
    void aKeyChangeWhoseAnswerIsLostKeepsTheIdentityTheSamePatchAttached() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);
        String password = stack.revealPassword(order);
        // The customer grants the new identity as soon as it exists (the attach's write); the key change's
        // write after it is stored, its answer lost.
        stack.orders.afterNextWrite(() -> {
            stack.keyVault.grantAll(kek.vaultUrl(), systemAssignedOf(stack.stored(order)));
            stack.orders.afterNextWrite(stack.orders::storeNextWriteUnconfirmed);
        });

        assertThatThrownBy(() -> jobs.update(
                        key,
                        patch(
                                new IdentityUpdate(true, false, Set.of(), Set.of()),
                                keyChange(kek.keyUrl(), KeyIdentity.SYSTEM_ASSIGNED)),
                        IfMatch.ABSENT,
                        caller))
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.StorageUnavailable));

        Order after = stack.stored(order);
        assertThat(after.protection()).isInstanceOf(KeyProtection.CustomerManaged.class);
        assertThat(after.identity().systemAssigned()).isNotNull();
        assertThat(stack.identities.exists(after.identity().systemAssigned().resourceId()))
                .isTrue();
        assertThat(stack.revealPassword(order)).isEqualTo(password);
    }

    /**
     * A PATCH adding the system-assigned identity and moving the key to another key through it, refused (not
     * granted there), while another request moves the order's own key to that identity right after the attach:
     * the undo keeps the identity, which the key is now used through.
     */
    @Test
    void theUndoOfARefusedKeyChangeKeepsAnIdentityAnotherRequestMovedTheKeyTo() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        InMemoryStack.CustomerKey ungrantedForTheOrder = stack.customerKey();
        OrderRef order = orderOf(jobWithCustomerKey(kek));
        String password = stack.revealPassword(order);
        stack.orders.afterNextWrite(() -> {
            stack.keyVault.grantAll(kek.vaultUrl(), systemAssignedOf(stack.stored(order)));
            stack.services
                    .encryption()
                    .changeIdentity(order, KeyIdentity.SYSTEM_ASSIGNED, IfMatch.ABSENT, InMemoryStack.ACTOR);
        });

        assertThatThrownBy(() -> jobs.update(
                        key,
                        patch(
                                new IdentityUpdate(true, true, Set.of(kek.identityId()), Set.of()),
                                keyChange(ungrantedForTheOrder.keyUrl(), KeyIdentity.SYSTEM_ASSIGNED)),
                        IfMatch.ABSENT,
                        caller))
                .isInstanceOf(ServiceException.class);

        Order after = stack.stored(order);
        assertThat(((KeyProtection.CustomerManaged) after.protection()).keyIdentity())
                .isEqualTo(KeyIdentity.SYSTEM_ASSIGNED);
        assertThat(after.identity().systemAssigned()).isNotNull();
        assertThat(after.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.revealPassword(order)).isEqualTo(password);
    }

    /**
     * A PATCH moving the key to a user-assigned identity and dropping the system-assigned one, while another
     * request moves the key onto the system-assigned identity between the PATCH's key change and its detach: the
     * identity the key is now used through stays, and the PATCH says its identities were not detached. The detach
     * was made on the order as it had become: the key lost its identity, the identity was deleted, and both
     * requests answered 200 (bug bash of 2026-12-06, jobs races F1).
     */
    @Test
    void theDetachAfterTheKeyChangeNeverDropsTheIdentityAnotherRequestMovedTheKeyTo() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(
                key, draft(new IdentityUpdate(true, true, Set.of(kek.identityId()), Set.of())), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);
        stack.keyVault.grantAll(kek.vaultUrl(), systemAssignedOf(stack.stored(order)));
        String password = stack.revealPassword(order);
        stack.orders.afterNextWrite(() -> stack.services
                .encryption()
                .changeIdentity(order, KeyIdentity.SYSTEM_ASSIGNED, IfMatch.ABSENT, InMemoryStack.ACTOR));

        assertThatThrownBy(() -> jobs.update(
                        key,
                        patch(users(kek), keyChange(kek.keyUrl(), new KeyIdentity.UserAssigned(kek.identityId()))),
                        IfMatch.ABSENT,
                        caller))
                .isInstanceOfSatisfying(JobException.class, e -> {
                    assertThat(e.kind()).isEqualTo(JobException.Kind.Conflict);
                    assertThat(e.getMessage()).contains("were not detached");
                });

        Order after = stack.stored(order);
        assertThat(((KeyProtection.CustomerManaged) after.protection()).keyIdentity())
                .isEqualTo(KeyIdentity.SYSTEM_ASSIGNED);
        assertThat(after.identity().systemAssigned()).isNotNull();
        assertThat(after.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.revealPassword(order)).isEqualTo(password);
    }

    /**
     * A PATCH that sends the job's key back as it is, through the system-assigned identity, and removes that
     * identity (a client editing the job it read): refused before anything changes, as the same PATCH with any
     * other key is. It was taken, the identity deleted and the order left without access (bug bash of
     * 2026-12-06, never-strand F2).
     */
    @Test
    void theKeyAsItIsThroughTheSystemAssignedIdentityTheSamePatchRemovesIsRefused() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(
                key, draft(new IdentityUpdate(true, true, Set.of(kek.identityId()), Set.of())), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);
        stack.keyVault.grantAll(kek.vaultUrl(), systemAssignedOf(stack.stored(order)));
        KekChange throughSystemAssigned = keyChange(kek.keyUrl(), KeyIdentity.SYSTEM_ASSIGNED);
        jobs.update(key, patch(null, throughSystemAssigned), IfMatch.ABSENT, caller);
        Order before = stack.stored(order);

        assertThatThrownBy(() -> jobs.update(key, patch(users(kek), throughSystemAssigned), IfMatch.ABSENT, caller))
                .isInstanceOfSatisfying(
                        JobException.class, e -> assertThat(e.getMessage()).contains("system-assigned"));

        Order after = stack.stored(order);
        assertThat(after.etag()).isEqualTo(before.etag());
        assertThat(after.identity()).isEqualTo(before.identity());
    }

    @Test
    void aPatchWithoutIfMatchGoesOnWhenAnotherWriteLandsBetweenItsSteps() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);
        // The attach is written first; a write of another request (an audit's, say) lands right after it.
        stack.orders.afterNextWrite(() -> stack.orders.put(stack.stored(order)));

        JobService.Updated updated = jobs.update(
                key,
                patch(users(kek), keyChange(kek.keyUrl(), new KeyIdentity.UserAssigned(kek.identityId()))),
                IfMatch.ABSENT,
                caller);

        assertThat(updated.orderChanged()).isTrue();
        assertThat(stack.stored(order).protection()).isInstanceOf(KeyProtection.CustomerManaged.class);
    }

    /**
     * The mirror of the test above: a PATCH sent with the job's ETag holds each step to the version the step before
     * it wrote (IfMatch.nextStepAt), so another write landing between its attach and its key change refuses it (412)
     * and the attach is undone; the key is the one it had. Nothing else failed when each step was made unconditional.
     */
    @Test
    void aPatchWithIfMatchIsRefusedWhenAnotherWriteLandsBetweenItsSteps() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);
        stack.orders.afterNextWrite(() -> stack.orders.put(stack.stored(order)));

        assertThatThrownBy(() -> jobs.update(
                        key,
                        patch(users(kek), keyChange(kek.keyUrl(), new KeyIdentity.UserAssigned(kek.identityId()))),
                        IfMatch.of(job.etag()),
                        caller))
                .isInstanceOf(com.databox.cmk.order.StaleOrderException.class);

        assertThat(stack.stored(order).protection()).isNotInstanceOf(KeyProtection.CustomerManaged.class);
        assertThat(stack.stored(order).identity().findUserAssigned(kek.identityId()))
                .isEmpty();
    }

    /**
     * {@code If-Match: *} asks only that the job exist (RFC 9110, 13.1.1; IfMatch's Javadoc: "absent and * differ in
     * one thing"): a cancel whose order another write (an audit's, say) changes between its read and its move is
     * made on the newer version, as one without If-Match is and as a PATCH with {@code *} is (a lost try is tried
     * again), not refused 412 PreconditionFailed, target If-Match, for a precondition the header never stated.
     * With the job's ETag it is refused: the version it names is gone.
     */
    @Test
    void aCancelWithIfMatchStarGoesOnWhenAnotherWriteLandsBeforeItsMove() {
        JobView job = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);

        stack.orders.afterNextRead(() -> stack.orders.put(stack.stored(order)));
        JobView cancelled = jobs.cancel(key, UnaryOperator.identity(), IfMatch.of("*"), caller);

        assertThat(cancelled.order().stage()).isEqualTo(Stage.Cancelled);
        assertThat(stack.stored(order).stage()).isEqualTo(Stage.Cancelled);
    }

    /**
     * A {@code Resume} with {@code If-Match: *} reads {@code *} as cancel does: another write landing between its read
     * of the held order and its own is no reason for a {@code 412} (review rv9 F1: the resume was held to the version
     * read).
     */
    @Test
    void aResumeWithIfMatchStarGoesOnWhenAnotherWriteLandsBeforeIt() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        OrderRef order = orderOf(jobWithCustomerKey(kek));
        stack.encryption().moveStage(order, Stage.AtAzureDC, IfMatch.ABSENT, "operator");
        stack.keyVault.revoke(kek.vaultUrl(), kek.wrappingIdentity(), InMemoryKeyVault.Permission.UnwrapKey);
        assertThatThrownBy(() -> stack.encryption().moveStage(order, Stage.DataCopy, IfMatch.ABSENT, "operator"))
                .isInstanceOf(com.databox.cmk.error.ServiceException.class);
        stack.keyVault.grant(kek.vaultUrl(), kek.wrappingIdentity(), InMemoryKeyVault.Permission.UnwrapKey);

        stack.orders.afterNextRead(() -> stack.orders.put(stack.stored(order)));
        jobs.mitigate(key, CustomerResolutionCode.RESUME, IfMatch.of("*"), caller);

        assertThat(stack.stored(order).stage()).isEqualTo(Stage.DataCopy);
    }

    /**
     * A DELETE with {@code If-Match: *} deletes a finished job whose record another request wrote between its read
     * and its delete (the job exists, all {@code *} asks), where it answered {@code 412}; with the job's ETag it is
     * still refused (since 2026-12-07, as rv9 F1 for cancel).
     */
    @Test
    void aDeleteWithIfMatchStarGoesOnWhenAnotherWriteLandsBeforeIt() {
        java.util.concurrent.atomic.AtomicBoolean writeBeforeTheDelete =
                new java.util.concurrent.atomic.AtomicBoolean();
        JobRecords contended = recordsCalling(method -> {
            if (method.startsWith("delete") && writeBeforeTheDelete.getAndSet(false)) {
                JobRecord current = records.find(key).orElseThrow();
                records.replace(current.modified(
                        "{\"by\":\"another request\"}", current.properties(), caller, stack.clock.instant()));
            }
        });
        JobService racing = stack.jobs(contended);
        racing.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        JobView cancelled = racing.cancel(key, UnaryOperator.identity(), IfMatch.ABSENT, caller);

        writeBeforeTheDelete.set(true);
        assertThatThrownBy(() -> racing.delete(key, IfMatch.of(cancelled.etag()), caller))
                .isInstanceOfSatisfying(
                        JobException.class, e -> assertThat(e.code()).isEqualTo(JobErrorCode.PreconditionFailed));
        assertThat(records.find(key)).isPresent();

        writeBeforeTheDelete.set(true);
        assertThat(racing.delete(key, IfMatch.of("*"), caller)).isTrue();
        assertThat(records.find(key)).isEmpty();
    }

    @Test
    void aCancelWithTheJobsETagIsRefusedWhenAnotherWriteLandsBeforeItsMove() {
        JobView job = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);

        stack.orders.afterNextRead(() -> stack.orders.put(stack.stored(order)));
        assertThatThrownBy(() -> jobs.cancel(key, UnaryOperator.identity(), IfMatch.of(job.etag()), caller))
                .isInstanceOf(com.databox.cmk.order.StaleOrderException.class);

        assertThat(stack.stored(order).stage()).isNotEqualTo(Stage.Cancelled);
    }

    /**
     * Tags sent without If-Match while other requests write the job before each try: after five losses the
     * caller is told to retry later (409 OrderChangedConcurrently, Retry-After), never that a precondition it
     * did not send failed (412, target If-Match, which no SDK retries); with {@code If-Match: *}, which asks
     * only that the job exist, a lost try is tried again.
     */
    @Test
    void aTagsPatchWithoutAVersionInIfMatchThatLosesItsRacesIsToldToRetryNotThatItsPreconditionFailed() {
        java.util.concurrent.atomic.AtomicInteger lossesToCome = new java.util.concurrent.atomic.AtomicInteger();
        JobRecords contended = recordsCalling(method -> {
            if (method.equals("replace") && lossesToCome.getAndDecrement() > 0) {
                JobRecord current = records.find(key).orElseThrow();
                records.replace(current.modified(
                        "{\"by\":\"another request\"}", current.properties(), caller, stack.clock.instant()));
            }
        });
        JobService racing = stack.jobs(contended);
        racing.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);
        JobPatch tags = new JobPatch("{\"team\":\"data\"}", UnaryOperator.identity(), null, null);

        lossesToCome.set(100);
        assertThatThrownBy(() -> racing.update(key, tags, IfMatch.ABSENT, caller))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OrderChangedConcurrently);
                    assertThat(e.retryAfter()).isPositive();
                    assertThat(e.getMessage()).contains("job-1", "were not written");
                });
        assertThat(records.find(key).orElseThrow().tags()).isEqualTo("{\"by\":\"another request\"}");

        lossesToCome.set(1);
        racing.update(key, tags, IfMatch.of("*"), caller);
        assertThat(records.find(key).orElseThrow().tags()).isEqualTo("{\"team\":\"data\"}");
    }

    /**
     * The key operation is picked from the order as read: a change of key version is a change-key, which a
     * revert to the Microsoft-managed key landing right after that read used to refuse ("enable a
     * customer-managed key first", a 400 no client retries). Without If-Match it is picked again.
     */
    @Test
    void aPatchWithoutIfMatchPicksItsKeyOperationAgainWhenAnotherRequestChangedTheKeyMeanwhile() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        KeyIdentity identity = new KeyIdentity.UserAssigned(kek.identityId());
        JobView job = jobs.create(key, draft(users(kek)), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);
        String password = stack.revealPassword(order);
        jobs.update(key, patch(null, keyChange(kek.keyUrl(), identity)), IfMatch.ABSENT, caller);
        String newVersion =
                stack.keyVault.addVersion(kek.vaultUrl(), kek.keyName()).keyId();
        stack.orders.afterNextRead(() -> stack.encryption().useMicrosoftKey(order, IfMatch.ABSENT, "another request"));

        JobService.Updated updated =
                jobs.update(key, patch(null, keyChange(newVersion, identity)), IfMatch.ABSENT, caller);

        assertThat(updated.orderChanged()).isTrue();
        assertThat(stack.stored(order).protection())
                .isInstanceOfSatisfying(
                        KeyProtection.CustomerManaged.class,
                        customer -> assertThat(customer.keyUrl().keyId()).isEqualTo(newVersion));
        assertThat(stack.revealPassword(order)).isEqualTo(password);
    }

    @Test
    void aDetachThatFailsAfterTheKeyChangedSaysTheKeyChangedAndTheSamePatchFinishesIt() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        InMemoryStack.CustomerKey other = stack.customerKey();
        JobView job = jobs.create(
                key,
                draft(new IdentityUpdate(false, true, Set.of(kek.identityId(), other.identityId()), Set.of())),
                IfMatch.ABSENT,
                caller);
        OrderRef order = orderOf(job);
        JobPatch patch = patch(
                new IdentityUpdate(false, true, Set.of(), Set.of(other.identityId())),
                keyChange(kek.keyUrl(), new KeyIdentity.UserAssigned(kek.identityId())));
        // The key change is written; storage is down for the detach that follows it.
        stack.orders.afterNextWrite(() -> stack.orders.failNextWrite(new ServiceException(
                ErrorCode.StorageUnavailable, "Table Storage did not answer.", null, Duration.ofSeconds(5), null)));

        assertThatThrownBy(() -> jobs.update(key, patch, IfMatch.ABSENT, caller))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.StorageUnavailable);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(e.getMessage()).contains("changed, but the identities this request drops were not");
                });
        assertThat(stack.stored(order).protection()).isInstanceOf(KeyProtection.CustomerManaged.class);
        assertThat(stack.stored(order).identity().findUserAssigned(other.identityId()))
                .isPresent();

        jobs.update(key, patch, IfMatch.ABSENT, caller);

        assertThat(stack.stored(order).identity().findUserAssigned(other.identityId()))
                .isEmpty();
        assertThat(stack.stored(order).protection()).isInstanceOf(KeyProtection.CustomerManaged.class);
    }

    /** An operation ID the service never made (not a UUID) is none, and is never sent to storage as a row key. */
    @Test
    void anOperationIdThatIsNoUuidNeverReachesStorage() {
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobRecords watched = recordsCalling(asked::add);
        JobService service = stack.jobs(watched);
        service.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);

        for (String notAnOperation : java.util.List.of("a".repeat(2000), "x\ny", "'; drop")) {
            assertThatThrownBy(() -> service.operation(key.subscriptionId(), "westus", notAnOperation, caller))
                    .isInstanceOfSatisfying(JobException.class, e -> {
                        assertThat(e.code()).isEqualTo(JobErrorCode.OperationNotFound);
                        assertThat(e.getMessage()).doesNotContain(notAnOperation);
                    });
        }
        assertThat(asked).doesNotContain("findOperation");
    }

    /**
     * Storage failing the job's own data after its order's key changed: the error says the key changed
     * (not the step's "nothing was changed", on which a client would give up or retry with a stale
     * ETag), and the same PATCH again finishes it.
     */
    @Test
    void aJobDataWriteThatFailsAfterTheKeyChangedSaysSoAndTheSamePatchFinishesIt() {
        java.util.concurrent.atomic.AtomicBoolean failNextReplace = new java.util.concurrent.atomic.AtomicBoolean();
        JobRecords failing = recordsCalling(method -> {
            if (method.equals("replace") && failNextReplace.getAndSet(false)) {
                throw new ServiceException(
                        ErrorCode.StorageUnavailable,
                        "The service's storage is unavailable for a moment; nothing was changed.",
                        null,
                        Duration.ofSeconds(5),
                        null);
            }
        });
        JobService flaky = stack.jobs(failing);
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = flaky.create(key, draft(users(kek)), IfMatch.ABSENT, caller);
        OrderRef order = orderOf(job);
        JobPatch patch = patch(null, keyChange(kek.keyUrl(), new KeyIdentity.UserAssigned(kek.identityId())));
        failNextReplace.set(true);

        assertThatThrownBy(() -> flaky.update(key, patch, IfMatch.ABSENT, caller))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.StorageUnavailable);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(e.getMessage()).contains("changed, but the job's own data");
                });
        assertThat(stack.stored(order).protection()).isInstanceOf(KeyProtection.CustomerManaged.class);

        flaky.update(key, patch, IfMatch.ABSENT, caller);
        assertThat(stack.stored(order).protection()).isInstanceOf(KeyProtection.CustomerManaged.class);
    }

    /**
     * A job that follows new versions shows its stored version's URL; sent back with another identity (the
     * seed's remedy for a deleted identity), it is a change of identity, which unwraps as the new identity. It
     * was taken for a new key (enable), which unwraps as the deleted one and was refused.
     */
    @Test
    void theShownKeyUrlSentBackWithANewIdentityChangesTheIdentityOfAJobFollowingNewVersions() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        InMemoryStack.CustomerKey other = stack.customerKey();
        stack.keyVault.grantAll(kek.vaultUrl(), other.wrappingIdentity());
        JobView job = jobs.create(
                key,
                new JobDraft(
                        "westus",
                        null,
                        null,
                        null,
                        new IdentityUpdate(false, true, Set.of(kek.identityId(), other.identityId()), Set.of()),
                        new com.databox.cmk.order.KeyEncryptionKeyRequest(
                                RequestedKeyUrl.read(kek.versionlessUrl()),
                                null,
                                new KeyIdentity.UserAssigned(kek.identityId()))),
                IfMatch.ABSENT,
                caller);
        OrderRef order = orderOf(job);
        String shown = ((KeyProtection.CustomerManaged) job.order().protection())
                .keyUrl()
                .keyId();
        String password = stack.revealPassword(order);
        stack.identities.delete(kek.identity().resourceId());
        stack.keyVault.revoke(kek.vaultUrl(), kek.wrappingIdentity(), InMemoryKeyVault.Permission.values());

        JobService.Updated same = jobs.update(
                key,
                patch(null, keyChange(shown, new KeyIdentity.UserAssigned(kek.identityId()))),
                IfMatch.ABSENT,
                caller);
        JobService.Updated changed = jobs.update(
                key,
                patch(null, keyChange(shown, new KeyIdentity.UserAssigned(other.identityId()))),
                IfMatch.ABSENT,
                caller);

        assertThat(same.orderChanged()).isFalse();
        assertThat(changed.orderChanged()).isTrue();
        KeyProtection.CustomerManaged protection =
                (KeyProtection.CustomerManaged) stack.stored(order).protection();
        assertThat(protection.keyIdentity()).isEqualTo(new KeyIdentity.UserAssigned(other.identityId()));
        assertThat(protection.autoRotation()).isTrue();
        assertThat(stack.revealPassword(order)).isEqualTo(password);
    }

    /**
     * DATABOX-ARM-API.md: "A kekUrl naming the job's stored key version is its key, also for a job that follows new
     * versions", and an absent kekVaultResourceID keeps the vault's ID. The job's shown key sent back with its
     * vault's ID added (which the creation left out) must not stop the job following new versions: it went through
     * change-key with followsNewVersions false, a versioned URL, so the order was pinned (review rv12 F1).
     */
    @Test
    void theShownKeyUrlSentBackWithTheVaultIdKeepsAJobFollowingNewVersions() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobs.create(
                key,
                new JobDraft(
                        "westus",
                        null,
                        null,
                        null,
                        users(kek),
                        new KeyEncryptionKeyRequest(
                                RequestedKeyUrl.read(kek.versionlessUrl()),
                                null,
                                new KeyIdentity.UserAssigned(kek.identityId()))),
                IfMatch.ABSENT,
                caller);
        OrderRef order = orderOf(job);
        String shown = ((KeyProtection.CustomerManaged) job.order().protection())
                .keyUrl()
                .keyId();

        jobs.update(
                key,
                patch(
                        null,
                        new KekChange(
                                true,
                                RequestedKeyUrl.read(shown),
                                new com.databox.cmk.order.VaultResourceId(kek.vaultResourceId()),
                                new KeyIdentity.UserAssigned(kek.identityId()))),
                IfMatch.ABSENT,
                caller);

        KeyProtection.CustomerManaged protection =
                (KeyProtection.CustomerManaged) stack.stored(order).protection();
        assertThat(protection.keyUrl().keyId()).isEqualTo(shown);
        assertThat(protection.autoRotation()).as("still follows new versions").isTrue();
    }

    /**
     * The spellings of the job's stored key URL that a key URL takes for the same key: as shown, with HTTPS's port,
     * with a trailing slash, and all of these with the host in capitals.
     */
    private static List<String> spellingsOf(String shown) {
        KeyUrl stored = KeyUrl.parse(shown);
        String path = "/keys/" + stored.name() + "/" + stored.version();
        return List.of(
                shown,
                "https://" + stored.host() + ":443" + path,
                shown + "/",
                "https://" + stored.host().toUpperCase(Locale.ROOT) + ":443" + path + "/");
    }

    /**
     * The job's key sent back in another spelling of its URL (HTTPS's port, a trailing slash, the host's case) is its
     * key, as sent back as shown: the PATCH changes nothing ({@code 200}, no operation), asks nothing of Key Vault and
     * writes neither the order nor the job. It was taken for a change of key as the URL's text differed: Key Vault
     * called, and a {@code 202} for a change that found nothing to change (differential bug bash).
     */
    @Test
    void theJobsKeySentBackInAnotherSpellingChangesNothingAsSentBackAsShown() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobView job = jobWithCustomerKey(kek);
        OrderRef order = orderOf(job);
        KeyIdentity identity = new KeyIdentity.UserAssigned(kek.identityId());

        for (String spelling : spellingsOf(kek.keyUrl())) {
            int vaultCalls = stack.keyVault.calls();
            int orderWrites = stack.orders.writes();
            JobRecord record = records.find(key).orElseThrow();

            JobService.Updated updated =
                    jobs.update(key, patch(null, keyChange(spelling, identity)), IfMatch.of(job.etag()), caller);

            assertThat(updated.orderChanged()).as(spelling).isFalse();
            assertThat(updated.job().etag()).as(spelling).isEqualTo(job.etag());
            assertThat(stack.keyVault.calls()).as(spelling).isEqualTo(vaultCalls);
            assertThat(stack.orders.writes()).as(spelling).isEqualTo(orderWrites);
            assertThat(records.find(key).orElseThrow()).as(spelling).isEqualTo(record);
        }
        KeyProtection.CustomerManaged protection =
                (KeyProtection.CustomerManaged) stack.stored(order).protection();
        assertThat(protection.keyUrl().keyId()).isEqualTo(kek.keyUrl());
    }

    /**
     * A PUT of a job that exists, naming its key in another spelling of its URL, describes the job as it is: it is
     * answered, and nothing is written or asked of Key Vault. It was refused {@code 409 JobAlreadyExists}, the URL's
     * text compared as the PATCH compared it.
     */
    @Test
    void aPutNamingTheJobsKeyInAnotherSpellingDescribesTheJobAsItIs() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        KeyIdentity identity = new KeyIdentity.UserAssigned(kek.identityId());
        JobView created = jobs.create(
                key,
                draft(users(kek), new KeyEncryptionKeyRequest(RequestedKeyUrl.read(kek.keyUrl()), null, identity)),
                IfMatch.ABSENT,
                caller);

        for (String spelling : spellingsOf(kek.keyUrl())) {
            int vaultCalls = stack.keyVault.calls();
            int orderWrites = stack.orders.writes();

            JobView again = jobs.create(
                    key,
                    draft(users(kek), new KeyEncryptionKeyRequest(RequestedKeyUrl.read(spelling), null, identity)),
                    IfMatch.ABSENT,
                    caller);

            assertThat(again.etag()).as(spelling).isEqualTo(created.etag());
            assertThat(stack.keyVault.calls()).as(spelling).isEqualTo(vaultCalls);
            assertThat(stack.orders.writes()).as(spelling).isEqualTo(orderWrites);
        }
    }

    @Test
    void aPutThatFindsAnotherPutsCreationUnderWayFinishesTheSameJob() {
        // Request A wrote the record and is about to make the order.
        JobRecord a = insertCreating();
        OrderRef order = new OrderRef(InMemoryStack.TENANT, new OrderName(a.orderName()));
        // Request B goes on with A's record; A makes the order just before B does.
        stack.orders.beforeNextCreate(() -> stack.services
                .orders()
                .createOrReplace(order, new NewOrder("westus", null, null), IfMatch.ABSENT, InMemoryStack.CALLER));

        JobView b = jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);

        assertThat(b.record().state()).isEqualTo(JobRecord.SUCCEEDED);
        assertThat(b.record().orderName()).isEqualTo(a.orderName());
        assertThat(jobs.get(key, caller).order().etag())
                .isEqualTo(stack.stored(order).etag());
    }

    /**
     * Two PUTs of one new job at once: both find no record, and the second's insert finds the first's. It
     * goes on with that record and order, as a retry does, and answers the same job; it answered 409
     * "is being created by another request" before, and its retry then 409 JobAlreadyExists.
     */
    @Test
    void aPutWhoseRecordAnotherPutInsertedFirstFinishesTheSameJob() {
        java.util.concurrent.atomic.AtomicReference<JobRecord> other =
                new java.util.concurrent.atomic.AtomicReference<>();
        JobRecords racing = recordsCalling(method -> {
            if (method.equals("insert") && other.get() == null) {
                other.set(insertCreating());
            }
        });
        JobService b = stack.jobs(racing);

        JobView job = b.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);

        assertThat(job.record().state()).isEqualTo(JobRecord.SUCCEEDED);
        assertThat(job.record().orderName()).isEqualTo(other.get().orderName());
        assertThat(jobs.get(key, caller).order().name().value())
                .isEqualTo(other.get().orderName());
    }

    /** As above, when the first PUT has finished the job before the second's insert: the same job, answered. */
    /**
     * ARM's PUT is idempotent: the SDKs send one again when its answer was lost, and the job they had just made
     * answered 409 JobAlreadyExists (bug bash of 2026-12-06, SDK F1). A PUT describing the job as it is answers
     * the job and writes nothing; one that would change it is refused as before, as is a PUT of another's job.
     */
    @Test
    void aPutDescribingTheJobAsItIsAnswersItAndOneThatWouldChangeItIsRefused() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobDraft draft = new JobDraft(
                "westus",
                "{\"team\":\"finance\"}",
                "{\"name\":\"DataBox\"}",
                "{\"transferType\":\"ImportToAzure\"}",
                users(kek),
                new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.read(kek.versionlessUrl()),
                        null,
                        new KeyIdentity.UserAssigned(kek.identityId())));
        JobView created = jobs.create(key, draft, IfMatch.ABSENT, caller);
        String password = stack.revealPassword(orderOf(created));

        JobView again = jobs.create(key, draft, IfMatch.ABSENT, caller);
        assertThat(again.etag()).isEqualTo(created.etag());
        assertThat(again.record().orderName()).isEqualTo(created.record().orderName());
        assertThat(jobs.create(key, draft, IfMatch.of(created.etag()), caller).etag())
                .isEqualTo(created.etag());

        for (JobDraft changed : List.of(
                new JobDraft(
                        "westus", "{}", draft.sku(), draft.properties(), draft.identity(), draft.keyEncryptionKey()),
                new JobDraft("eastus", draft.tags(), draft.sku(), draft.properties(), draft.identity(), null),
                new JobDraft("westus", draft.tags(), draft.sku(), draft.properties(), draft.identity(), null),
                new JobDraft(
                        "westus",
                        draft.tags(),
                        draft.sku(),
                        draft.properties(),
                        new IdentityUpdate(true, true, Set.of(kek.identityId()), Set.of()),
                        draft.keyEncryptionKey()))) {
            assertThatThrownBy(() -> jobs.create(key, changed, IfMatch.ABSENT, caller))
                    .isInstanceOfSatisfying(
                            JobException.class, e -> assertThat(e.code()).isEqualTo(JobErrorCode.JobAlreadyExists));
        }
        assertThat(stack.stored(orderOf(created)).etag())
                .isEqualTo(created.order().etag());
        assertThat(stack.revealPassword(orderOf(created))).isEqualTo(password);
    }

    /**
     * Two PUTs of one new job at once with different bodies: the one that made the order answers its job, the
     * other {@code 409 JobAlreadyExists}. Both answered success, one of them with a job it never asked for (a
     * customer-managed key for a request of the Microsoft-managed one; bug bash of 2026-12-06, jobs races F2).
     */
    @Test
    void twoPutsOfANewJobWithDifferentBodiesAtOnceAnswerOneJobAndOneConflict() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        JobDraft microsoftKey = new JobDraft("westus", "{\"t\":\"a\"}", null, null, IdentityUpdate.NONE, null);
        JobDraft customerKey = new JobDraft(
                "westus",
                "{\"t\":\"b\"}",
                null,
                null,
                users(kek),
                new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.read(kek.keyUrl()), null, new KeyIdentity.UserAssigned(kek.identityId())));
        java.util.concurrent.atomic.AtomicReference<JobView> other =
                new java.util.concurrent.atomic.AtomicReference<>();
        stack.orders.beforeNextCreate(() -> other.set(jobs.create(key, customerKey, IfMatch.ABSENT, caller)));

        assertThatThrownBy(() -> jobs.create(key, microsoftKey, IfMatch.ABSENT, caller))
                .isInstanceOfSatisfying(
                        JobException.class, e -> assertThat(e.code()).isEqualTo(JobErrorCode.JobAlreadyExists));

        JobView stored = jobs.get(key, caller);
        assertThat(other.get().etag()).isEqualTo(stored.etag());
        assertThat(stored.record().tags()).isEqualTo("{\"t\":\"b\"}");
        assertThat(stored.order().protection()).isInstanceOf(KeyProtection.CustomerManaged.class);
    }

    @Test
    void aPutWhoseRecordAnotherPutFinishedFirstAnswersThatJob() {
        java.util.concurrent.atomic.AtomicReference<JobView> other =
                new java.util.concurrent.atomic.AtomicReference<>();
        JobRecords racing = recordsCalling(method -> {
            if (method.equals("insert") && other.get() == null) {
                other.set(jobs.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller));
            }
        });
        JobService b = stack.jobs(racing);

        JobView job = b.create(key, draft(IdentityUpdate.NONE), IfMatch.ABSENT, caller);

        assertThat(job.record().state()).isEqualTo(JobRecord.SUCCEEDED);
        assertThat(job.etag()).isEqualTo(other.get().etag());
    }

    /**
     * A DELETE meeting a creation under way (its record written, its order not made yet) is refused:
     * deleting the record then left the order the creation went on to make without a job. A record left
     * by a creation cut short long ago is deleted.
     */
    @Test
    void aDeleteMeetingACreationUnderWayIsRefusedAndOneCutShortLongAgoIsDeleted() {
        records.bindSubscription(key.subscriptionId(), caller.tenantId());
        insertCreating();

        assertThatThrownBy(() -> jobs.delete(key, IfMatch.ABSENT, caller))
                .isInstanceOfSatisfying(
                        JobException.class,
                        e -> assertThat(e.code()).isEqualTo(JobErrorCode.AnotherOperationInProgress));
        assertThat(records.find(key)).isPresent();

        stack.clock.advance(JobService.CREATION_MAY_TAKE.plusSeconds(1));
        assertThat(jobs.delete(key, IfMatch.ABSENT, caller)).isTrue();
        assertThat(records.find(key)).isEmpty();
    }

    /**
     * A page of the listing reads its jobs' orders together, not one point read a job: a page of 1,000 jobs was 1,000
     * sequential reads of the table (bug bash pg1, F3). Its jobs are those {@link JobService#get} answers, in order.
     */
    @Test
    void aPageReadsItsJobsOrdersTogetherNotOneAJob() {
        List<JobKey> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            JobKey job = new JobKey(key.subscriptionId(), "rg-jobs", String.format(Locale.ROOT, "job-%02d", i));
            jobs.create(job, draft(null), IfMatch.ABSENT, caller);
            keys.add(job);
        }
        int pointReads = stack.orders.pointReads();
        int namedReads = stack.orders.namedReads();

        JobService.Page page = jobs.list(key.subscriptionId(), null, 30, null, caller);

        assertThat(stack.orders.pointReads() - pointReads)
                .as("orders read one by one")
                .isZero();
        assertThat(stack.orders.namedReads() - namedReads).isEqualTo(1);
        assertThat(page.jobs())
                .isEqualTo(keys.stream().map(job -> jobs.get(job, caller)).toList());
    }

    /** A listed job whose order is gone fails the page as it did when each order was read on its own: not found. */
    @Test
    void aListedJobWhoseOrderIsGoneIsNotFoundAsBefore() {
        jobs.create(key, draft(null), IfMatch.ABSENT, caller);
        JobKey orphan = new JobKey(key.subscriptionId(), "rg-jobs", "job-2");
        insertRecord(orphan, JobRecord.SUCCEEDED);

        assertThatThrownBy(() -> jobs.list(key.subscriptionId(), null, 10, null, caller))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OrderNotFound);
                    assertThat(e.getMessage()).contains(orphan.orderName());
                });
    }

    /** A change to the customer-managed key at {@code url}, used as {@code identity}, its vault not named. */
    private static KekChange keyChange(String url, KeyIdentity identity) {
        return new KekChange(true, RequestedKeyUrl.read(url), null, identity);
    }
}
