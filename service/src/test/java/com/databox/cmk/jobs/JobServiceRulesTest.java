package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.jobs.storage.TableJobRecords;
import com.databox.cmk.order.CustomerResolutionCode;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.Stage;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The jobs' preconditions and tenancy at the service, without Quarkus (mt2: under mutation testing, each of these
 * rules could be taken out with no fast test failing): If-Match on PATCH, cancel, delete and Resume; a subscription
 * of another tenant; the access check before a subscription's first job; the stages that may be deleted and
 * cancelled. Job records on Azurite, the rest in memory.
 */
class JobServiceRulesTest {
    private static final IfMatch STALE = IfMatch.of("W/\"0123456789abcdef01234567\"");

    private final InMemoryStack stack = new InMemoryStack();
    private final TableJobRecords records =
            new TableJobRecords(Azurite.shared().newTable("jobrules").buildClient());
    private final JobService jobs = stack.jobs(records);
    private final JobKey key = new JobKey(UUID.randomUUID().toString(), "rg-jobs", "job-1");
    private final JobCaller caller = InMemoryStack.JOB_CALLER;
    private final JobCaller otherTenant = new JobCaller(
            "oid:other", "User", UUID.randomUUID().toString(), UUID.randomUUID().toString());

    private JobView created() {
        return jobs.create(
                key, new JobDraft("westus", null, null, null, IdentityUpdate.NONE, null), IfMatch.ABSENT, caller);
    }

    private static JobPatch tags(String tags) {
        return new JobPatch(tags, UnaryOperator.identity(), null, null);
    }

    private static void assertCode(Runnable request, JobErrorCode code) {
        assertThatThrownBy(request::run)
                .isInstanceOfSatisfying(
                        JobException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private Order order(JobView job) {
        return stack.services
                .orders()
                .get(new com.databox.cmk.order.OrderRef(
                        InMemoryStack.TENANT,
                        new com.databox.cmk.order.OrderName(job.record().orderName())));
    }

    @Test
    void aStaleIfMatchRefusesPatchCancelDeleteAndResumeAndNothingChanges() {
        JobView job = created();

        assertCode(() -> jobs.update(key, tags("{\"a\":\"b\"}"), STALE, caller), JobErrorCode.PreconditionFailed);
        assertCode(() -> jobs.cancel(key, UnaryOperator.identity(), STALE, caller), JobErrorCode.PreconditionFailed);
        assertCode(
                () -> jobs.mitigate(key, CustomerResolutionCode.RESUME, STALE, caller),
                JobErrorCode.PreconditionFailed);

        JobView now = jobs.get(key, caller);
        assertThat(now.etag()).isEqualTo(job.etag());
        assertThat(now.record().tags()).isNull();
        assertThat(now.order().stage()).isEqualTo(Stage.DeviceOrdered);

        jobs.cancel(key, UnaryOperator.identity(), IfMatch.of(now.etag()), caller);
        assertCode(() -> jobs.delete(key, STALE, caller), JobErrorCode.PreconditionFailed);
        assertThat(records.find(key)).isPresent();
        assertThat(jobs.delete(key, IfMatch.of(jobs.get(key, caller).etag()), caller))
                .isTrue();
        assertThat(records.find(key)).isEmpty();
    }

    @Test
    void theJobsCurrentEtagIsTakenByPatch() {
        JobView job = created();
        JobService.Updated updated = jobs.update(key, tags("{\"a\":\"b\"}"), IfMatch.of(job.etag()), caller);
        assertThat(updated.job().record().tags()).isEqualTo("{\"a\":\"b\"}");
        assertThat(updated.orderChanged()).isFalse();
    }

    /**
     * What a job keeps, sent in a PATCH with the job's own value (its region spelled as a display name, the SKU's
     * members sent, a delivery type the job has by default), passes; with another value the PATCH is refused by the
     * member's path and nothing of it is written (rt1 F7, ARM's OAPI030).
     */
    @Test
    void whatAJobKeepsPassesWithItsOwnValueAndIsRefusedWithAnother() {
        JobView job = jobs.create(
                key,
                new JobDraft(
                        "westus",
                        null,
                        "{\"name\":\"DataBox\",\"displayName\":\"Data Box\"}",
                        "{\"transferType\":\"ImportToAzure\"}",
                        IdentityUpdate.NONE,
                        null),
                IfMatch.ABSENT,
                caller);
        ImmutableMembers own =
                new ImmutableMembers("West US", "{\"name\":\"DataBox\"}", "ImportToAzure", "NonScheduled");
        assertThat(jobs.update(key, keeping(own, null), IfMatch.of(job.etag()), caller)
                        .job()
                        .etag())
                .isEqualTo(job.etag());

        for (var changed : java.util.Map.of(
                        "location", new ImmutableMembers("eastus", null, null, null),
                        "sku", new ImmutableMembers(null, "{\"displayName\":\"Another\"}", null, null),
                        "properties.transferType", new ImmutableMembers(null, null, "ExportFromAzure", null),
                        "properties.deliveryType", new ImmutableMembers(null, null, null, "Scheduled"))
                .entrySet()) {
            assertThatThrownBy(() ->
                            jobs.update(key, keeping(changed.getValue(), "{\"a\":\"b\"}"), IfMatch.ABSENT, caller))
                    .isInstanceOfSatisfying(JobException.class, e -> {
                        assertThat(e.code()).isEqualTo(JobErrorCode.InvalidRequestContent);
                        assertThat(e.target()).isEqualTo(changed.getKey());
                        assertThat(e.getMessage()).contains("cannot be changed after the job is created");
                    });
        }
        assertThat(jobs.get(key, caller).etag()).isEqualTo(job.etag());
        assertThat(jobs.get(key, caller).record().tags()).isNull();
    }

    private static JobPatch keeping(ImmutableMembers sent, String tags) {
        return new JobPatch(tags, UnaryOperator.identity(), null, null, sent);
    }

    /** A subscription belongs to the tenant of its first job: another tenant finds nothing there, and makes nothing. */
    @Test
    void aCallerOfAnotherTenantFindsNothingInTheSubscriptionAndChangesNothing() {
        JobView job = created();

        assertCode(() -> jobs.get(key, otherTenant), JobErrorCode.SubscriptionNotFound);
        assertCode(
                () -> jobs.update(key, tags("{\"a\":\"b\"}"), IfMatch.ABSENT, otherTenant),
                JobErrorCode.SubscriptionNotFound);
        assertCode(
                () -> jobs.cancel(key, UnaryOperator.identity(), IfMatch.ABSENT, otherTenant),
                JobErrorCode.SubscriptionNotFound);
        assertCode(() -> jobs.delete(key, IfMatch.ABSENT, otherTenant), JobErrorCode.SubscriptionNotFound);
        assertCode(
                () -> jobs.mitigate(key, CustomerResolutionCode.RESUME, IfMatch.ABSENT, otherTenant),
                JobErrorCode.SubscriptionNotFound);
        assertCode(() -> jobs.credentials(key, otherTenant), JobErrorCode.SubscriptionNotFound);
        assertCode(
                () -> jobs.list(key.subscriptionId(), null, 10, null, otherTenant), JobErrorCode.SubscriptionNotFound);
        JobKey another = new JobKey(key.subscriptionId(), "rg-jobs", "job-2");
        assertCode(
                () -> jobs.create(
                        another,
                        new JobDraft("westus", null, null, null, IdentityUpdate.NONE, null),
                        IfMatch.ABSENT,
                        otherTenant),
                JobErrorCode.SubscriptionNotFound);

        assertThat(records.find(another)).isEmpty();
        assertThat(jobs.get(key, caller).etag()).isEqualTo(job.etag());
        assertThat(jobs.list(key.subscriptionId(), null, 10, null, caller).jobs())
                .hasSize(1);
    }

    /** Before a subscription's first job binds it, the caller must hold jobs/write there: Denied and Unknown refuse. */
    @Test
    void theFirstJobOfASubscriptionTakesTheCallersAccessAndARefusalBindsNothing() {
        JobDraft draft = new JobDraft("westus", null, null, null, IdentityUpdate.NONE, null);
        for (JobsAccess.Decision decision :
                new JobsAccess.Decision[] {JobsAccess.Decision.Denied, JobsAccess.Decision.Unknown}) {
            JobService refusing = new JobService(
                    records, stack.services.orders(), stack.services.encryption(), (c, s, g) -> decision, stack.clock);
            assertCode(() -> refusing.create(key, draft, IfMatch.ABSENT, caller), JobErrorCode.AuthorizationFailed);
            assertThat(records.subscriptionTenant(key.subscriptionId())).isEmpty();
            assertThat(records.find(key)).isEmpty();
        }
        // Another tenant, refused, did not take the subscription: its owner creates the first job.
        JobService granted = new JobService(
                records,
                stack.services.orders(),
                stack.services.encryption(),
                (c, s, g) -> c.tenant().value().equals(caller.tenantId())
                        ? JobsAccess.Decision.Granted
                        : JobsAccess.Decision.Denied,
                stack.clock);
        assertCode(() -> granted.create(key, draft, IfMatch.ABSENT, otherTenant), JobErrorCode.AuthorizationFailed);
        assertThat(granted.create(key, draft, IfMatch.ABSENT, caller).record().created())
                .isTrue();
        assertThat(records.subscriptionTenant(key.subscriptionId())).contains(caller.tenantId());
    }

    /** Only a finished job is deleted; a live one is kept, with its record. */
    @Test
    void aJobIsDeletedOnlyOnceItHasEnded() {
        created();
        assertCode(() -> jobs.delete(key, IfMatch.ABSENT, caller), JobErrorCode.JobNotDeletable);
        assertThat(records.find(key)).isPresent();

        jobs.cancel(key, UnaryOperator.identity(), IfMatch.ABSENT, caller);
        assertThat(jobs.delete(key, IfMatch.ABSENT, caller)).isTrue();
        assertThat(records.find(key)).isEmpty();
        assertThat(jobs.delete(key, IfMatch.ABSENT, caller)).isFalse();
    }

    /** A job whose device was dispatched can no longer be cancelled, and its order keeps its stage. */
    @Test
    void aDispatchedJobIsNotCancellable() {
        JobView job = created();
        var ref = order(job).ref();
        stack.services.orders().moveStage(ref, Stage.DevicePrepared, IfMatch.ABSENT, InMemoryStack.ACTOR);
        stack.services.orders().moveStage(ref, Stage.Dispatched, IfMatch.ABSENT, InMemoryStack.ACTOR);

        assertCode(
                () -> jobs.cancel(key, UnaryOperator.identity(), IfMatch.ABSENT, caller),
                JobErrorCode.JobNotCancellable);
        assertThat(order(job).stage()).isEqualTo(Stage.Dispatched);
    }

    @Test
    void aResumeWithNothingAwaitingTheCustomerIsMitigationNotRequired() {
        created();
        assertCode(
                () -> jobs.mitigate(key, CustomerResolutionCode.RESUME, IfMatch.ABSENT, caller),
                JobErrorCode.MitigationNotRequired);
    }

    /** A PUT's If-Match and If-None-Match are held to the job as it is, also when the body describes it as it is. */
    @Test
    void aPutOfTheJobAsItIsKeepsToItsPreconditions() {
        JobView job = created();
        JobDraft same = new JobDraft("westus", null, null, null, IdentityUpdate.NONE, null);

        assertCode(() -> jobs.create(key, same, STALE, caller), JobErrorCode.PreconditionFailed);
        assertCode(() -> jobs.create(key, same, IfMatch.ABSENT, job.etag(), caller), JobErrorCode.PreconditionFailed);
        assertThat(jobs.create(key, same, IfMatch.of(job.etag()), caller).etag())
                .isEqualTo(job.etag());
        assertThat(jobs.create(key, same, IfMatch.ABSENT, "W/\"0\"", caller).etag())
                .isEqualTo(job.etag());
    }

    /** An operation is answered in its own subscription's tenant and location only. */
    @Test
    void anOperationIsAnsweredInItsTenantAndLocationOnly() {
        JobView job = created();
        JobOperation operation = jobs.recordSucceeded(key, job, "update", stack.clock.instant());

        assertThat(jobs.operation(key.subscriptionId(), "West US", operation.id(), caller)
                        .id())
                .isEqualTo(operation.id());
        assertCode(
                () -> jobs.operation(key.subscriptionId(), "eastus", operation.id(), caller),
                JobErrorCode.OperationNotFound);
        assertCode(
                () -> jobs.operation(key.subscriptionId(), "westus", operation.id(), otherTenant),
                JobErrorCode.SubscriptionNotFound);
    }

    /**
     * A PATCH naming a new version of the job's key, through the same identity, changes the key (a long-running
     * change), and the device password stays readable: the PATCH is never taken for "the key as it is".
     */
    @Test
    void aPatchToANewVersionOfTheKeyChangesTheKey() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        com.databox.cmk.order.KeyIdentity through =
                new com.databox.cmk.order.KeyIdentity.UserAssigned(kek.identityId());
        JobView job = jobs.create(
                key,
                new JobDraft(
                        "westus",
                        null,
                        null,
                        null,
                        new IdentityUpdate(false, true, java.util.Set.of(kek.identityId()), java.util.Set.of()),
                        new com.databox.cmk.order.KeyEncryptionKeyRequest(
                                RequestedKeyUrl.read(kek.keyUrl()), null, through)),
                IfMatch.ABSENT,
                caller);
        String password = stack.revealPassword(order(job).ref());
        String newVersion =
                stack.keyVault.addVersion(kek.vaultUrl(), kek.keyName()).keyId();

        JobService.Updated updated = jobs.update(
                key,
                new JobPatch(
                        null,
                        UnaryOperator.identity(),
                        null,
                        new KekChange(true, RequestedKeyUrl.read(newVersion), null, through)),
                IfMatch.of(job.etag()),
                caller);

        assertThat(updated.orderChanged()).isTrue();
        com.databox.cmk.order.KeyProtection.CustomerManaged protection =
                (com.databox.cmk.order.KeyProtection.CustomerManaged) order(job).protection();
        assertThat(protection.keyUrl().keyId()).isEqualTo(newVersion);
        assertThat(protection.keyIdentity()).isEqualTo(through);
        assertThat(stack.revealPassword(order(job).ref())).isEqualTo(password);
    }

    /**
     * A PATCH's key URL is read once, with the request; one that is no usable key URL is refused in its own words
     * after the job's If-Match, whether the job has a customer-managed key or moves to one, and nothing changes.
     */
    @Test
    void aPatchsUnusableKeyUrlIsRefusedInItsOwnWordsAfterTheIfMatch() {
        InMemoryStack.CustomerKey kek = stack.customerKey();
        com.databox.cmk.order.KeyIdentity through =
                new com.databox.cmk.order.KeyIdentity.UserAssigned(kek.identityId());
        IdentityUpdate withIt = new IdentityUpdate(false, true, java.util.Set.of(kek.identityId()), java.util.Set.of());
        JobKey other = new JobKey(key.subscriptionId(), key.resourceGroup(), "job-2");
        JobView customerManaged = jobs.create(
                key,
                new JobDraft(
                        "westus",
                        null,
                        null,
                        null,
                        withIt,
                        new com.databox.cmk.order.KeyEncryptionKeyRequest(
                                RequestedKeyUrl.read(kek.keyUrl()), null, through)),
                IfMatch.ABSENT,
                caller);
        JobView microsoftManaged =
                jobs.create(other, new JobDraft("westus", null, null, null, withIt, null), IfMatch.ABSENT, caller);
        String http = kek.keyUrl().replace("https://", "http://");
        JobPatch toHttp = new JobPatch(
                null, UnaryOperator.identity(), null, new KekChange(true, RequestedKeyUrl.read(http), null, through));
        JobPatch toNoUrl = new JobPatch(
                null,
                UnaryOperator.identity(),
                null,
                new KekChange(true, RequestedKeyUrl.read("not-a-url"), null, through));

        assertCode(() -> jobs.update(key, toHttp, STALE, caller), JobErrorCode.PreconditionFailed);
        for (JobKey job : new JobKey[] {key, other}) {
            assertThatThrownBy(() -> jobs.update(job, toHttp, IfMatch.ABSENT, caller))
                    .isInstanceOfSatisfying(com.databox.cmk.error.ServiceException.class, e -> {
                        assertThat(e.code())
                                .isEqualTo(com.databox.cmk.error.ErrorCode.SsemUserErrorKeyVaultUrlWithInvalidScheme);
                        assertThat(e.getMessage()).isEqualTo("The key URL '" + http + "' does not use HTTPS.");
                        assertThat(e.target()).isEqualTo("kekUrl");
                    });
            assertThatThrownBy(() -> jobs.update(job, toNoUrl, IfMatch.ABSENT, caller))
                    .isInstanceOfSatisfying(com.databox.cmk.error.ServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(com.databox.cmk.error.ErrorCode.SsemUserErrorInvalidKeyVaultUrl);
                        assertThat(e.getMessage()).isEqualTo("'not-a-url' is not a Key Vault key URL.");
                        assertThat(e.target()).isEqualTo("kekUrl");
                    });
        }
        assertThat(jobs.get(key, caller).etag()).isEqualTo(customerManaged.etag());
        assertThat(jobs.get(other, caller).etag()).isEqualTo(microsoftManaged.etag());
    }
}
