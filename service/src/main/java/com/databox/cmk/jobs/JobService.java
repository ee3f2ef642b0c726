package com.databox.cmk.jobs;

import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.error.UnconfirmedWriteException;
import com.databox.cmk.order.CustomerResolutionCode;
import com.databox.cmk.order.Guids;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.IfNoneMatch;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.LostRaces;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderConflictException;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.Outcome;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.SystemAssignedDeletedAgain;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Microsoft.DataBox/jobs resource over the order and encryption services: every change of
 * an order goes through them, with their checks and their history. This class only decides
 * which of their operations an ARM request means, in which order, and keeps the ARM-only data.
 */
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class.getName());

    private final JobsAccess access;
    private final JobRecords records;
    private final OrderService orders;
    private final EncryptionService encryption;
    private final Clock clock;

    public JobService(
            JobRecords records, OrderService orders, EncryptionService encryption, JobsAccess access, Clock clock) {
        this.records = records;
        this.orders = orders;
        this.encryption = encryption;
        this.access = access;
        this.clock = clock;
    }

    public JobView get(JobKey key, JobCaller caller) {
        JobRecord record = requireCreated(key, caller);
        return new JobView(record, orders.get(ref(record)));
    }

    /**
     * A page of jobs; a record whose order was never created (a crash mid-creation) is left out. A
     * subscription of another tenant is not found, as in ARM. The page's orders are read together, in a
     * few queries rather than one a job (bug bash pg1, F3).
     */
    public Page list(String subscriptionId, String resourceGroup, int top, String after, JobCaller caller) {
        requireSubscription(subscriptionId, caller);
        JobRecords.Page page = records.list(subscriptionId, resourceGroup, top, after);
        List<JobRecord> listed = page.records().stream()
                .filter(record -> caller.sameTenant(record.tenantId()))
                .map(record -> listedCreatedOrCutShort(record, caller))
                .flatMap(Optional::stream)
                .toList();
        List<Order> ordersOfJobs =
                orders.getAll(listed.stream().map(JobService::ref).toList());
        List<JobView> jobs = new ArrayList<>(listed.size());
        for (int i = 0; i < listed.size(); i++) {
            jobs.add(new JobView(listed.get(i), ordersOfJobs.get(i)));
        }
        return new Page(jobs, page.continuation());
    }

    public record Page(List<JobView> jobs, String continuation) {}

    /**
     * Creates the job: its record first (state Creating), then the order through the order or
     * encryption service, then the record's state Succeeded. A retry after a crash between the
     * steps finds the record and finishes the job; a refused order removes the record this request
     * wrote. A job created again after its deletion gets a new order: the deleted job's order keeps
     * its stage and history and is never taken over.
     */
    public JobView create(JobKey key, JobDraft draft, IfMatch ifMatch, JobCaller caller) {
        return create(key, draft, ifMatch, null, caller);
    }

    /**
     * As {@link #create(JobKey, JobDraft, IfMatch, JobCaller)}, held to the request's {@code If-None-Match} too
     * (null: none sent): a job it matches answers {@code 412} and nothing changes, so that {@code *} creates
     * only a job that does not exist, also when another request is creating it at the same moment.
     */
    public JobView create(JobKey key, JobDraft draft, IfMatch ifMatch, String ifNoneMatch, JobCaller caller) {
        Optional<IfNoneMatch> absentOrOther = ifNoneMatch(ifNoneMatch);
        if (ifMatch.sent()) {
            // RFC 9110: the precondition first, and nothing bound by a refused PUT. A job it matches exists,
            // and a PUT does not replace one.
            JobRecord existing = requireCreatedForIfMatch(key, caller);
            Order order = orders.get(ref(existing));
            requireMatch(key, existing, order, ifMatch);
            requireNoneMatch(absentOrOther, key, existing);
            return asItIs(existing, order, draft).orElseThrow(() -> alreadyExists(key));
        }
        Instant now = clock.instant();
        bindOrRequireSubscription(key, caller);
        JobRecord record =
                records.find(key).filter(r -> caller.sameTenant(r.tenantId())).orElse(null);
        requireNoneMatch(absentOrOther, key, record);
        if (record != null && record.created()) {
            return asItIs(record, orders.get(ref(record)), draft).orElseThrow(() -> alreadyExists(key));
        }
        boolean finishing = record != null;
        if (!finishing) {
            try {
                record = records.insert(new JobRecord(
                        key,
                        freeOrderName(key, caller),
                        JobRecord.CREATING,
                        caller.tenantId(),
                        draft.tags(),
                        draft.sku(),
                        draft.properties(),
                        caller,
                        now,
                        caller,
                        now,
                        null));
            } catch (JobException insertedMeanwhile) {
                if (insertedMeanwhile.kind() != JobException.Kind.Conflict) {
                    throw insertedMeanwhile;
                }
                // Another PUT of this job wrote its record first: this one goes on with it, as a retry does.
                record = records.find(key)
                        .filter(r -> caller.sameTenant(r.tenantId()))
                        .orElseThrow(() -> insertedMeanwhile);
                requireNoneMatch(absentOrOther, key, record);
                if (record.created()) {
                    JobRecord created = record;
                    return asItIs(created, orders.get(ref(created)), draft).orElseThrow(() -> alreadyExists(key));
                }
                finishing = true;
            }
        }
        OrderRef name = ref(record);
        Order order;
        boolean madeByAnother = false;
        try {
            Optional<Order> made = finishing ? findOrder(name) : Optional.empty();
            madeByAnother = made.isPresent();
            order = made.isPresent() ? made.get() : newOrder(name, draft, caller);
        } catch (OrderConflictException createdMeanwhile) {
            // Another request finishing this job's creation made the order first.
            order = orders.get(name);
            madeByAnother = true;
        } catch (UnconfirmedWriteException orderMayBeStored) {
            // Kept Creating: the caller reads the job, and a retry finds the order and finishes the job.
            throw orderMayBeStored;
        } catch (RuntimeException refused) {
            if (!finishing) {
                removeRefused(record);
            }
            throw refused;
        }
        // An order another PUT of this job made (a retry's first try, or a request at the same moment) is this
        // request's only if it describes the same job; two PUTs of one new job with different bodies both
        // answered success, one with a job it never asked for (bug bash of 2026-12-06, jobs races F2).
        if (madeByAnother && !describes(record, order, draft)) {
            throw alreadyExists(key);
        }
        JobRecord succeeded = new JobRecord(
                key,
                record.orderName(),
                JobRecord.SUCCEEDED,
                record.tenantId(),
                draft.tags(),
                draft.sku(),
                draft.properties(),
                record.createdBy(),
                record.createdAt(),
                caller,
                now,
                record.etag());
        try {
            return new JobView(records.replace(succeeded), order);
        } catch (UnconfirmedWriteException mayBeWritten) {
            throw mayBeWritten; // its own message says the write may have been made
        } catch (ServiceException e) {
            // The order stands; the record stays Creating, and the same PUT again finishes the job.
            throw orderChangedJobDataNot(key, "PUT", e);
        } catch (JobException e) {
            if (e.kind() != JobException.Kind.Stale) {
                throw e;
            }
            // Another request finished the same job first: this one answers as a retry would.
            JobRecord finished = records.find(key).filter(JobRecord::created).orElseThrow(() -> e);
            if (!finished.orderName().equals(record.orderName()) || !describes(finished, order, draft)) {
                throw alreadyExists(key);
            }
            return new JobView(finished, order);
        }
    }

    /**
     * {@code 412} when the header (empty: none sent) matches the job of {@code record} (null: none): {@code *} any
     * job, also one still being created (by another request, or one cut short after its order was made); a list of
     * ETags the created job at one of them.
     */
    private void requireNoneMatch(Optional<IfNoneMatch> absentOrOther, JobKey key, JobRecord record) {
        if (absentOrOther.isEmpty() || record == null) {
            return;
        }
        IfNoneMatch condition = absentOrOther.get();
        boolean matched = condition.any()
                ? record.created()
                        || creationMayBeUnderWay(record)
                        || findOrder(ref(record)).isPresent()
                : record.created() && condition.matches(new JobView(record, orders.get(ref(record))).etag());
        if (matched) {
            throw new JobException(
                    JobErrorCode.PreconditionFailed,
                    condition.any()
                            ? "The job '" + key.name()
                                    + "' exists, and If-None-Match: * asks that it not; nothing changed."
                            : "The job '" + key.name() + "' is at a version If-None-Match names; nothing changed.",
                    IfNoneMatch.HEADER);
        }
    }

    /**
     * A PUT's {@code If-None-Match}, read as /api/orders reads it (API.md, "The order resource"): {@code *} matches a
     * job that exists or is being created. Sent empty, it is refused.
     */
    private static Optional<IfNoneMatch> ifNoneMatch(String header) {
        return IfNoneMatch.of(
                header,
                () -> JobException.invalid(
                        "The If-None-Match header is empty: send * (only if the job does not exist) or the ETags of "
                                + "versions already held, or leave the header out.",
                        IfNoneMatch.HEADER));
    }

    private Order newOrder(OrderRef name, JobDraft draft, JobCaller caller) {
        NewOrder request = new NewOrder(draft.location(), draft.identity(), draft.keyEncryptionKey());
        return request.keyEncryptionKey() != null
                ? encryption.create(name, request, caller.asOrderCaller())
                : orders.createOrReplace(name, request, IfMatch.ABSENT, caller.asOrderCaller());
    }

    /**
     * The job's own order name ({@link JobKey#orderName()}), or, when an order of that name exists
     * (a deleted job's of the same ID), one no order has.
     */
    private String freeOrderName(JobKey key, JobCaller caller) {
        String name = key.orderName();
        TenantId tenant = new TenantId(caller.tenantId());
        while (findOrder(new OrderRef(tenant, new OrderName(name))).isPresent()) {
            name = key.orderName(UUID.randomUUID().toString());
        }
        return name;
    }

    private void removeRefused(JobRecord record) {
        try {
            records.deleteIfUnchanged(record);
        } catch (RuntimeException e) {
            // Harmless: a Creating record is not listed, and the next PUT of the job goes on with it.
            LOG.log(
                    Level.WARNING,
                    "Could not remove the record of the refused job "
                            + record.key().resourceId(),
                    e);
        }
    }

    /**
     * A PUT of a job that exists, describing it as it is (its location, identities, key, tags, SKU and
     * properties), changes nothing and is answered with the job, as ARM's PUT is idempotent: the SDKs send a
     * PUT again when its answer was lost (a connection reset), and the job they had just created answered
     * {@code 409 JobAlreadyExists}, so that {@code begin_create} failed for a job that was there (bug bash of
     * 2026-12-06, SDK F1). A PUT that would change the job is still refused: replacing a job is not served.
     */
    private static Optional<JobView> asItIs(JobRecord record, Order order, JobDraft draft) {
        return describes(record, order, draft) ? Optional.of(new JobView(record, order)) : Optional.empty();
    }

    /** Whether {@code draft} describes the job of {@code record} and {@code order} as it is. */
    private static boolean describes(JobRecord record, Order order, JobDraft draft) {
        IdentityUpdate identity = draft.identity() == null ? IdentityUpdate.NONE : draft.identity();
        return JobDocuments.sameTags(record.tags(), draft.tags())
                && JobDocuments.sameValue(record.sku(), draft.sku())
                && JobDocuments.sameProperties(record.properties(), draft.properties())
                && draft.location().equalsIgnoreCase(order.location())
                && Shape.of(order.identity()).equals(Shape.after(OrderIdentity.NONE, identity))
                && (draft.keyReadOnly() || new KeyTarget(draft.keyEncryptionKey()).sameAs(order.protection()));
    }

    private static JobException alreadyExists(JobKey key) {
        return new JobException(
                JobErrorCode.JobAlreadyExists,
                "The job '" + key.name() + "' already exists in resource group '" + key.resourceGroup()
                        + "'; change it with PATCH.",
                "jobName");
    }

    /** The outcome of a PATCH; {@code orderChanged} says whether the order itself changed (a long-running operation). */
    public record Updated(JobView job, boolean orderChanged) {}

    /**
     * Applies an ARM PATCH. The order's identity and key change as one verified change: identities
     * to attach are attached first (the key may be reached through them), then the key changes
     * through the encryption service (unwrap, check, wrap and prove, one conditional write), then
     * identities the request drops are detached. Each step is conditional on the ETag the step
     * before it wrote. If the key change is refused, the attach is undone and the order is as it was.
     */
    public Updated update(JobKey key, JobPatch patch, IfMatch ifMatch, JobCaller caller) {
        JobRecord created = requireCreated(key, caller);
        // Without If-Match the key operation is picked from the order as read: one whose key changed before
        // the operation ran (a revert at the same moment) is read again and the operation picked afresh,
        // rather than refused for a state the caller never saw ("enable a customer-managed key first").
        return LostRaces.retried(ifMatch, ref(created).name(), () -> updateOnce(key, patch, ifMatch, caller));
    }

    private Updated updateOnce(JobKey key, JobPatch patch, IfMatch ifMatch, JobCaller caller) {
        JobRecord record = requireCreated(key, caller);
        OrderRef name = ref(record);
        Order current = orders.get(name);
        requireMatch(key, record, current, ifMatch);
        patch.immutable().requireSameAs(record, current);
        // The job's ETag matched: each step of the order's change is then held to the order's own.
        IfMatch orderIfMatch = ifMatch.nextStepAt(current.etag());
        KeyTarget key2 = patch.keyEncryptionKey() == null ? null : target(current, patch.keyEncryptionKey());
        boolean keyChange = key2 != null && !key2.sameAs(current.protection());
        IdentityUpdate identity = patch.identity();
        boolean identityChange =
                identity != null && !Shape.of(current.identity()).equals(Shape.after(current.identity(), identity));
        if (key2 != null && identityChange) {
            requireKeepsKeyIdentity(key2, Shape.after(current.identity(), identity));
        }
        IfMatch step = orderIfMatch;
        if (keyChange) {
            Order before = current;
            IdentityUpdate widen = identityChange ? widen(current.identity(), identity) : null;
            boolean widened =
                    widen != null && !Shape.of(current.identity()).equals(Shape.after(current.identity(), widen));
            if (widened) {
                current = orders.updateIdentity(name, widen, step, caller.asOrderCaller());
                step = orderIfMatch.nextStepAt(current.etag());
            }
            try {
                current = applyKey(name, current, key2, step, caller.actor());
            } catch (UnconfirmedWriteException mayBeStored) {
                // The key may now be used through the identity just attached: it stays (bug bash of 2026-12-06,
                // never-strand F1); its message tells the caller to read the job before sending the PATCH again.
                throw mayBeStored;
            } catch (RuntimeException refused) {
                Order undone = widened ? undo(name, before, current, caller) : null;
                if (!orderIfMatch.sent() && keyChangedSince(before)) {
                    StaleOrderException stale = new StaleOrderException(name.name());
                    stale.addSuppressed(refused);
                    throw stale;
                }
                throw undone != null && undone.identity().systemAssigned() == null
                        ? SystemAssignedDeletedAgain.refusal(
                                refused,
                                before.identity(),
                                current.identity(),
                                SystemAssignedDeletedAgain.ADD_THE_IDENTITY_FIRST)
                        : refused;
            }
            if (identityChange && !Shape.of(current.identity()).equals(Shape.after(current.identity(), identity))) {
                try {
                    current = detach(name, identity, current, orderIfMatch.sent(), caller);
                } catch (RuntimeException e) {
                    throw keyChangedIdentitiesNot(key, e);
                }
            }
        } else if (identityChange) {
            current = orders.updateIdentity(name, identity, step, caller.asOrderCaller());
        }
        boolean orderChanged = keyChange || identityChange;
        try {
            record = writeArmData(key, record, patch, orderChanged, ifMatch.namesAVersion(), caller);
        } catch (RuntimeException e) {
            throw orderChanged && isRetryable(e) ? orderChangedJobDataNot(key, "PATCH", e) : e;
        }
        return new Updated(new JobView(record, current), orderChanged);
    }

    /**
     * The PATCH's tags and properties, written on the record as read. A record changed meanwhile
     * answers 412 to a request whose {@code If-Match} names a version and that changed nothing else;
     * after the order changed (its change stands) or without {@code If-Match} (or with {@code *}), the
     * PATCH is applied again to the record as it now is, and when other requests win every one of
     * {@link LostRaces#ATTEMPTS} tries, {@code 409 OrderChangedConcurrently} (retry later), as for the
     * order: never a 412 for a precondition the caller did not send.
     */
    private JobRecord writeArmData(
            JobKey key, JobRecord record, JobPatch patch, boolean orderChanged, boolean conditional, JobCaller caller) {
        for (int attempt = 1; ; attempt++) {
            String newProperties = patch.properties().apply(record.properties());
            String newTags = patch.tags() == null ? record.tags() : patch.tags();
            // As JSON values, as a PUT compares them: the SDKs' update built from a GET sends the answered tags
            // back, {} for none and in any member order (bug bash rt1 F5: a new ETag, and the client's next write 412).
            if (!orderChanged
                    && JobDocuments.sameProperties(record.properties(), newProperties)
                    && JobDocuments.sameTags(record.tags(), newTags)) {
                return record;
            }
            try {
                return records.replace(record.modified(newTags, newProperties, caller, clock.instant()));
            } catch (JobException e) {
                if (e.kind() != JobException.Kind.Stale || conditional && !orderChanged) {
                    throw e;
                }
                if (attempt >= LostRaces.ATTEMPTS) {
                    throw LostRaces.lostEveryTime(
                            "The job '" + key.name() + "'", "the tags and properties it asked for were not written", e);
                }
                record = requireCreated(key, caller);
            }
        }
    }

    /**
     * Step 3: the identities the request drops, detached from the order as written by step 2 ({@code If-Match}:
     * that write's ETag) or as it now is, never one the order's key is used through. Without {@code If-Match}
     * the detach was made on whatever the order had become: another request that moved the key onto an identity
     * this one drops, between the two steps, left the key without its identity, the identity deleted, and both
     * requests answered 200 (bug bash of 2026-12-06, jobs races F1). Each try is conditional on the order it
     * checked.
     */
    private Order detach(
            OrderRef name, IdentityUpdate identity, Order afterKeyChange, boolean ifMatch, JobCaller caller) {
        Order order = afterKeyChange;
        for (int attempt = 1; ; attempt++) {
            if (order.protection() instanceof KeyProtection.CustomerManaged key
                    && !Shape.after(order.identity(), identity).keeps(key.keyIdentity())) {
                throw new JobException(
                        JobErrorCode.Conflict,
                        "Another request moved the order's key to an identity this request drops, so it was kept.",
                        "identity");
            }
            try {
                return orders.updateIdentity(name, identity, IfMatch.version(order.etag()), caller.asOrderCaller());
            } catch (StaleOrderException changedMeanwhile) {
                if (ifMatch) {
                    throw changedMeanwhile;
                }
                if (attempt >= LostRaces.ATTEMPTS) {
                    throw LostRaces.lostEveryTime(
                            "The order '" + name.name() + "'", "its identities were not detached", changedMeanwhile);
                }
                order = orders.get(name);
            }
        }
    }

    /** Whether the order's key protection is no longer the one {@code read} had (another request changed it). */
    private boolean keyChangedSince(Order read) {
        try {
            return !orders.get(read.ref()).protection().equals(read.protection());
        } catch (RuntimeException unreadable) {
            return false; // the refusal stands as it was
        }
    }

    /**
     * The last step failed after the key change was written: the order is usable (it holds every
     * identity the key may need), and the error says what was made, rather than the step's own
     * message ("nothing was changed"). The same PATCH sent again only detaches.
     */
    private static RuntimeException keyChangedIdentitiesNot(JobKey key, RuntimeException failure) {
        return partlyDone(
                "The key of the job '" + key.name() + "' changed, but the identities this request drops were not "
                        + "detached: ",
                " Send the PATCH again (without If-Match, or with the job's new ETag) to detach them.",
                failure);
    }

    /**
     * A step after the order's change failed (the job's own data not written, storage down): the
     * change stands, and the error says so rather than the step's "nothing was changed".
     */
    private static RuntimeException orderChangedJobDataNot(JobKey key, String request, RuntimeException failure) {
        return partlyDone(
                "The order of the job '" + key.name() + "' " + ("PUT".equals(request) ? "was made" : "changed")
                        + ", but the job's own data (tags, properties, "
                        + "state) was not written: ",
                " Read the job and send the " + request + " again (without If-Match, or with the job's new ETag) "
                        + "to finish it.",
                failure);
    }

    /**
     * A failure the same request, sent again, gets past: an outage, or another write meanwhile. Not a write
     * that may have been made (its own message says so), nor a job gone (deleted meanwhile).
     */
    private static boolean isRetryable(RuntimeException failure) {
        return failure instanceof ServiceException outage && !(outage instanceof UnconfirmedWriteException)
                || failure instanceof JobException refused && refused.kind() == JobException.Kind.Stale;
    }

    private static RuntimeException partlyDone(String done, String retry, RuntimeException failure) {
        String message = done + failure.getMessage() + retry;
        if (failure instanceof ServiceException e) {
            return new ServiceException(e.code(), message, e.target(), e.retryAfter(), e);
        }
        if (failure instanceof StaleOrderException) {
            return JobException.preconditionFailed(message);
        }
        if (failure instanceof JobException e) {
            return new JobException(e.code(), message, e.target());
        }
        return failure;
    }

    private static JobException changedMeanwhile(JobKey key) {
        return JobException.preconditionFailed("The job '" + key.name()
                + "' was changed since the ETag given in If-Match was read; read it and retry.");
    }

    /** {@code If-Match} (absent: any version) must name the job as it is: {@code 412} otherwise. */
    private static void requireMatch(JobKey key, JobRecord record, Order order, IfMatch ifMatch) {
        if (!new JobView(record, order).matches(ifMatch)) {
            throw changedMeanwhile(key);
        }
    }

    /**
     * The job an {@code If-Match} is held to: one that does not exist fails it, {@code *} too (RFC 9110,
     * 13.1.1); a subscription of another tenant is still not found.
     */
    private JobRecord requireCreatedForIfMatch(JobKey key, JobCaller caller) {
        return findCreated(key, caller).orElseThrow(() -> missingForIfMatch(key));
    }

    private static JobException missingForIfMatch(JobKey key) {
        return JobException.preconditionFailed(
                "The job '" + key.name() + "' does not exist, so If-Match cannot match it.");
    }

    /**
     * Deletes the job's ARM resource. Only a finished job (completed, cancelled or aborted) can be
     * deleted, as in Data Box; its order stays, with its history, under /api/orders.
     */
    public boolean delete(JobKey key, IfMatch ifMatch, JobCaller caller) {
        requireSubscription(key.subscriptionId(), caller);
        Optional<JobRecord> record = records.find(key).filter(r -> caller.sameTenant(r.tenantId()));
        if (ifMatch.sent()) {
            // A job GET does not show (none, or one still being created) is one If-Match cannot match.
            JobRecord shown = record.filter(JobRecord::created).orElseThrow(() -> missingForIfMatch(key));
            requireMatch(key, shown, orders.get(ref(shown)), ifMatch);
        }
        if (record.isEmpty()) {
            return false;
        }
        // A record still Creating whose order exists is a creation under way or cut short: its order is live.
        Optional<Order> order =
                record.get().created() ? Optional.of(orders.get(ref(record.get()))) : findOrder(ref(record.get()));
        if (order.isEmpty() && !record.get().created() && creationMayBeUnderWay(record.get())) {
            // Deleted now, the record would be gone when the creation under way makes its order: an order
            // without a job. A creation cut short (its request ended long ago) leaves a record this deletes.
            throw new JobException(
                    JobErrorCode.AnotherOperationInProgress,
                    "The job '" + key.name() + "' is being created; delete it once its creation has ended.",
                    "jobName");
        }
        if (order.isPresent()) {
            if (!order.get().stage().isDeletable()) {
                throw new JobException(
                        JobErrorCode.JobNotDeletable,
                        "The job '" + key.name()
                                + "' is in stage " + order.get().stage()
                                + "; only a completed, cancelled or aborted job can be "
                                + "deleted. Cancel it first.",
                        "jobName");
            }
        }
        if (!ifMatch.namesAVersion()) {
            records.delete(key);
        } else if (!records.deleteIfUnchanged(record.get())) {
            throw changedMeanwhile(key);
        }
        return true;
    }

    /** Longer than any request may take: a record Creating for longer was left by a creation cut short. */
    static final Duration CREATION_MAY_TAKE = Duration.ofMinutes(5);

    private boolean creationMayBeUnderWay(JobRecord record) {
        return record.createdAt() == null
                || record.createdAt().plus(CREATION_MAY_TAKE).isAfter(clock.instant());
    }

    /**
     * Cancels the job: the order moves to its Cancelled stage (the order service's rules apply), then
     * {@code withReason} records the caller's reason in the job's properties.
     */
    public JobView cancel(JobKey key, UnaryOperator<String> withReason, IfMatch ifMatch, JobCaller caller) {
        JobRecord record = ifMatch.sent() ? requireCreatedForIfMatch(key, caller) : requireCreated(key, caller);
        OrderRef name = ref(record);
        Order order = orders.get(name);
        requireMatch(key, record, order, ifMatch);
        if (order.stage() == Stage.Cancelled) {
            // A retry after a lost answer, or a second cancel: the job stays as its cancel left it, reason included.
            // A cancel cut short after the order's move recorded no reason; its retry records its own (the
            // reason's operator keeps one already there, so this writes nothing then).
            return new JobView(
                    writeArmData(
                            key,
                            record,
                            new JobPatch(null, withReason, null, null),
                            false,
                            ifMatch.namesAVersion(),
                            caller),
                    order);
        }
        // A job that has ended goes on to the order's own refusal of the move (DATABOX-ARM-API.md).
        if (!order.stage().isCancellable() && !order.stage().isTerminal()) {
            throw new JobException(
                    JobErrorCode.JobNotCancellable,
                    "The job '" + key.name() + "' is in stage " + order.stage() + " and can no longer be cancelled.",
                    "jobName");
        }
        Order cancelled = orders.moveStage(name, Stage.Cancelled, ifMatch.nextStepAt(order.etag()), caller.actor());
        try {
            record = writeArmData(key, record, new JobPatch(null, withReason, null, null), true, false, caller);
        } catch (RuntimeException e) {
            // The job is cancelled: answering an error would say it was not. Only its reason is not shown.
            LOG.log(Level.WARNING, "Could not record the cancellation reason of " + key.resourceId(), e);
        }
        return new JobView(record, cancelled);
    }

    /**
     * Resumes a job whose order waits for the customer to fix its key ({@code Resume}); a job with
     * nothing awaiting the customer answers ARM's {@code MitigationNotRequired}.
     */
    public JobView mitigate(JobKey key, CustomerResolutionCode code, IfMatch ifMatch, JobCaller caller) {
        JobRecord record = ifMatch.sent() ? requireCreatedForIfMatch(key, caller) : requireCreated(key, caller);
        OrderRef name = ref(record);
        IfMatch orderIfMatch = IfMatch.ABSENT;
        if (ifMatch.sent()) {
            Order order = orders.get(name);
            requireMatch(key, record, order, ifMatch);
            orderIfMatch = ifMatch.nextStepAt(order.etag());
        }
        try {
            encryption.mitigate(name, code, orderIfMatch, caller.actor());
        } catch (ServiceException e) {
            if (e.code() != ErrorCode.OrderNotWaitingForCustomerAction) {
                throw e;
            }
            throw new JobException(
                    JobErrorCode.MitigationNotRequired,
                    "The job '" + key.name() + "' has no action awaiting the customer's resolution.",
                    "customerResolutionCode");
        }
        return get(key, caller);
    }

    /**
     * listCredentials' answer: the job's name as it was created (ARM's names are case-insensitive, and the job is
     * named as GET names it, not as the request's URL spelt it; Data Box spec bash F4), and its device unlock key,
     * which the caller must clear, or the refusal of its key, which ARM reports inside the credentials.
     */
    public record JobCredentials(String jobName, byte[] unlockKey, ServiceException keyRefused) {
        @Override
        public String toString() {
            return "JobCredentials[jobName=" + jobName + "]";
        }
    }

    public JobCredentials credentials(JobKey key, JobCaller caller) {
        JobRecord record = requireCreated(key, caller);
        try {
            return new JobCredentials(record.key().name(), orders.revealUnlockKey(ref(record)), null);
        } catch (ServiceException refused) {
            if (refused.code().saysNothingOfTheKey()) {
                throw refused;
            }
            return new JobCredentials(record.key().name(), null, refused);
        }
    }

    /**
     * How long an operation's status and result are answered after it ended: ARM keeps an operation's status a
     * documented while after it ends (the Azure REST API guidelines ask for at least 24 hours), and 7 days covers a
     * poller resumed from a continuation token after a week-end. Older ones are {@code 404 OperationNotFound}.
     */
    static final Duration OPERATION_KEPT = Duration.ofDays(7);

    /** Operations deleted per batch, and batches at most per call, so that one timer invocation stays short. */
    static final int OPERATIONS_DELETED_PER_BATCH = 100;

    static final int OPERATION_BATCHES_PER_CALL = 50;

    /**
     * Deletes the operations no longer answered (ended more than {@link #OPERATION_KEPT} ago), batch after batch
     * until one comes back short, at most {@value #OPERATION_BATCHES_PER_CALL} batches (5,000 rows: more than an
     * hourly timer's share of any plausible rate of long-running PATCHes); the next call goes on. @return how many
     */
    public int deleteExpiredOperations() {
        Instant cutoff = clock.instant().minus(OPERATION_KEPT);
        int deleted = 0;
        for (int batch = 0; batch < OPERATION_BATCHES_PER_CALL; batch++) {
            int done = records.deleteOperationsEndedBefore(cutoff, OPERATIONS_DELETED_PER_BATCH);
            deleted += done;
            if (done < OPERATIONS_DELETED_PER_BATCH) {
                break;
            }
        }
        return deleted;
    }

    /** Now, by the service's clock: an operation's start, taken before the change it records. */
    public Instant now() {
        return clock.instant();
    }

    /** Records a finished long-running operation of {@code job}, for its operation-status resource. */
    public JobOperation recordSucceeded(JobKey key, JobView job, String kind, Instant started) {
        JobOperation operation = new JobOperation(
                UUID.randomUUID().toString(),
                key.subscriptionId(),
                job.order().location(),
                key.resourceId(),
                job.record().orderName(),
                kind,
                "Succeeded",
                started,
                clock.instant(),
                null,
                null);
        records.saveOperation(operation);
        return operation;
    }

    /**
     * The operation at {@code location}, where its links announced it: ARM compares locations and GUIDs in any
     * case (and a location's display name, "West US", is "westus"), so the ID is looked up in the lower case the
     * service made it in (since 2026-12-06: upper case was not found), and an operation of another location is
     * none (it was found under any location). One older than {@link #OPERATION_KEPT}, or of a job deleted and
     * created again under its name since, is none either.
     */
    public JobOperation operation(String subscriptionId, String location, String operationId, JobCaller caller) {
        requireSubscription(subscriptionId, caller);
        // Operation IDs are UUIDs the service made: anything else is none, and never reaches storage as a row key.
        String id = operationId.toLowerCase(Locale.ROOT);
        Optional<JobOperation> operation = Guids.isGuid(id)
                ? records.findOperation(subscriptionId, id)
                        .filter(found -> sameLocation(found.location(), location))
                        .filter(found -> !expired(found))
                        .filter(found -> !ofAnotherJob(found, caller))
                : Optional.empty();
        return operation.orElseThrow(JobService::operationNotFound);
    }

    /**
     * The job an operation's result is: the job as it now is, if it is still the job the operation was about. A
     * job deleted since is not found; one created again under its name is another job, and the operation none
     * (it answered the new job, which a poller resumed from a continuation token reported as changed).
     */
    public JobView operationJob(JobOperation operation, JobCaller caller) {
        JobView job = get(operation.jobKey(), caller);
        if (operation.jobOrderName() != null
                && !operation.jobOrderName().equals(job.record().orderName())) {
            throw operationNotFound();
        }
        return job;
    }

    private boolean expired(JobOperation operation) {
        Instant ended = operation.endTime() != null ? operation.endTime() : operation.startTime();
        return ended != null && ended.plus(OPERATION_KEPT).isBefore(clock.instant());
    }

    private boolean ofAnotherJob(JobOperation operation, JobCaller caller) {
        return operation.jobOrderName() != null
                && records.find(operation.jobKey())
                        .filter(record -> caller.sameTenant(record.tenantId()))
                        .filter(record -> !operation.jobOrderName().equals(record.orderName()))
                        .isPresent();
    }

    private static JobException operationNotFound() {
        return new JobException(
                JobErrorCode.OperationNotFound, "There is no such operation in this subscription.", "operationId");
    }

    static boolean sameLocation(String stored, String asked) {
        return stored != null && asked != null && locationName(stored).equals(locationName(asked));
    }

    private static String locationName(String location) {
        return location.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    // ---- the key of a PATCH --------------------------------------------------------------------

    /** The configuration a PATCH asks for; {@code request} null means the Microsoft-managed key. */
    private record KeyTarget(KeyEncryptionKeyRequest request) {
        boolean sameAs(KeyProtection current) {
            if (!(current instanceof KeyProtection.CustomerManaged customer)) {
                return request == null;
            }
            return request != null
                    && sameUrl(request.kekUrl(), customer)
                    && request.identity().equals(customer.keyIdentity())
                    && sameVault(request.vault(), customer.vault());
        }
    }

    private static KeyTarget target(Order order, KekChange change) {
        if (!change.customerManaged()) {
            return new KeyTarget(null);
        }
        KeyProtection.CustomerManaged current =
                order.protection() instanceof KeyProtection.CustomerManaged customer ? customer : null;
        KeyIdentity identity = change.identity() != null
                ? keptFederation(change.identity(), current)
                : current != null ? current.keyIdentity() : KeyIdentity.SYSTEM_ASSIGNED;
        RequestedKeyUrl url = change.kekUrl();
        if (url == null) {
            if (current == null) {
                throw JobException.invalid(
                        "'kekUrl' is required to move the job to a customer-managed key.",
                        "properties.details.keyEncryptionKey.kekUrl");
            }
            url = RequestedKeyUrl.of(current.autoRotation() ? current.versionless() : current.keyUrl());
        }
        VaultResourceId vault = change.kekVaultResourceId();
        if (vault == null && current != null && sameVaultHost(url, current.keyUrl())) {
            vault = current.vault();
        }
        // The job shows the stored version of a key it follows: named with another identity or vault, it is still
        // followed (review rv12 F1: the order stopped following new versions).
        boolean follows = current != null && current.autoRotation() && sameUrl(url, current);
        return new KeyTarget(new KeyEncryptionKeyRequest(url, vault, identity, follows));
    }

    /**
     * The surface neither takes nor shows {@code federatedIdentityClientId}: naming the user-assigned identity the
     * key is reached through names it with the application set on it through {@code /api} (bug bash rt1 F6: the key
     * the GET answered, sent back, dropped the application, or was refused across tenants).
     */
    private static KeyIdentity keptFederation(KeyIdentity asked, KeyProtection.CustomerManaged current) {
        if (current != null
                && current.keyIdentity() instanceof KeyIdentity.UserAssigned stored
                && asked instanceof KeyIdentity.UserAssigned user
                && user.id().equals(stored.id())) {
            return stored;
        }
        return asked;
    }

    /** Picks the encryption operation the change is, so that the order's history names it. */
    private Order applyKey(OrderRef name, Order current, KeyTarget target, IfMatch step, String actor) {
        KeyEncryptionKeyRequest request = target.request();
        if (request == null) {
            return encryption.useMicrosoftKey(name, step, actor);
        }
        if (!(current.protection() instanceof KeyProtection.CustomerManaged kek)) {
            return encryption.enable(name, request, step, actor);
        }
        boolean sameIdentity = request.identity().equals(kek.keyIdentity());
        boolean sameKey = sameUrl(request.kekUrl(), kek) && sameVault(request.vault(), kek.vault());
        if (sameIdentity) {
            return encryption.changeKey(
                    name, request.kekUrl(), request.followsNewVersions(), request.vault(), step, actor);
        }
        if (sameKey) {
            return encryption.changeIdentity(name, request.identity(), step, actor);
        }
        return encryption.enable(name, request, step, actor);
    }

    /**
     * Whether {@code url} names the key the order has: its stored version (what a GET of the job
     * shows, so a client sending the job back unchanged changes nothing, and a new identity with it
     * is a change of identity, which unwraps as the new identity), or, for an order that follows new
     * versions, its versionless URL.
     */
    private static boolean sameUrl(RequestedKeyUrl url, KeyProtection.CustomerManaged current) {
        KeyUrl requested = url.orElseThrow();
        if (requested.isVersioned()) {
            return requested.namesSameKeyAs(current.keyUrl());
        }
        return current.autoRotation() && requested.namesSameKeyAs(current.versionless());
    }

    private static boolean sameVault(VaultResourceId a, VaultResourceId b) {
        return a == null ? b == null : a.namesSameVaultAs(b);
    }

    private static boolean sameVaultHost(RequestedKeyUrl url, KeyUrl current) {
        return url.key() instanceof Outcome.Allowed<KeyUrl>(KeyUrl requested) && requested.sameVaultAs(current);
    }

    // ---- identities ----------------------------------------------------------------------------

    /** Which identities an order has: whether a system-assigned one, and the user-assigned IDs (in any case). */
    private record Shape(boolean system, Set<UserAssignedIdentityId> users) {
        static Shape of(OrderIdentity identity) {
            return new Shape(identity.systemAssigned() != null, Set.copyOf(identity.userAssignedIds()));
        }

        /** Whether a key used through {@code keyIdentity} still has it. */
        boolean keeps(KeyIdentity keyIdentity) {
            return switch (keyIdentity) {
                case KeyIdentity.SystemAssigned system -> system();
                case KeyIdentity.UserAssigned user -> users.contains(user.id());
            };
        }

        /** What {@code OrderService.updateIdentity} makes of {@code identity} with {@code update}. */
        static Shape after(OrderIdentity identity, IdentityUpdate update) {
            Set<UserAssignedIdentityId> users = new HashSet<>();
            if (update.userAssigned()) {
                users.addAll(identity.userAssignedIds());
                users.removeAll(update.detach());
                users.addAll(update.attach());
            }
            return new Shape(update.systemAssigned(), users);
        }
    }

    /** Everything the order has and everything the request adds: what the key change may need. */
    private static IdentityUpdate widen(OrderIdentity current, IdentityUpdate update) {
        boolean users = update.userAssigned() && !update.attach().isEmpty()
                || !current.userAssigned().isEmpty();
        return new IdentityUpdate(
                update.systemAssigned() || current.systemAssigned() != null,
                users,
                update.userAssigned() ? update.attach() : Set.of(),
                Set.of());
    }

    /**
     * The identities the PATCH leaves must include the one its new key is used through: checked
     * before anything changes, so the key never changes under a request that is then refused.
     */
    private static void requireKeepsKeyIdentity(KeyTarget target, Shape after) {
        if (target.request() == null) {
            return;
        }
        KeyIdentity keyIdentity = target.request().identity();
        if (!after.keeps(keyIdentity)) {
            String removed = keyIdentity instanceof KeyIdentity.UserAssigned user
                    ? "the user-assigned identity " + user.id().value()
                    : "the system-assigned identity";
            throw JobException.invalid(
                    "The key encryption key is to be used through " + removed
                            + ", which this request removes from the job; keep it in 'identity'.",
                    "identity");
        }
    }

    /**
     * Puts the identities back as they were before a refused key change: the order as the detach left it, null
     * when that failed. Another
     * request's write after the attach (the audit's health, a validate, an identity change of its own) made the
     * conditional detach stale, and the identities stayed attached while the refusal said nothing had changed
     * (bug bash of 2026-12-06, B1): the detach is made again on the order as it now is, of what this request
     * attached only; a system-assigned identity another request made meanwhile is kept.
     */
    private Order undo(OrderRef name, Order before, Order widened, JobCaller caller) {
        Set<UserAssignedIdentityId> added = new HashSet<>(widened.identity().userAssignedIds());
        added.removeIf(id -> before.identity().findUserAssigned(id).isPresent());
        Order current = widened;
        for (int attempt = 1; ; attempt++) {
            try {
                return orders.updateIdentity(
                        name,
                        undoing(current, before, widened.identity(), added),
                        IfMatch.version(current.etag()),
                        caller.asOrderCaller());
            } catch (StaleOrderException changedMeanwhile) {
                if (attempt >= LostRaces.ATTEMPTS) {
                    return couldNotUndo(name, changedMeanwhile);
                }
                current = orders.get(name);
            } catch (RuntimeException e) {
                return couldNotUndo(name, e);
            }
        }
    }

    /**
     * The detach of what the request attached, never of an identity a key moved since is used through: another
     * request may have moved the order's key onto it after the attach.
     */
    private static IdentityUpdate undoing(
            Order order, Order beforeOrder, OrderIdentity widened, Set<UserAssignedIdentityId> added) {
        OrderIdentity current = order.identity();
        OrderIdentity before = beforeOrder.identity();
        KeyIdentity keyIdentity = !order.protection().equals(beforeOrder.protection())
                        && order.protection() instanceof KeyProtection.CustomerManaged c
                ? c.keyIdentity()
                : null;
        Set<UserAssignedIdentityId> detached = new HashSet<>(added);
        if (keyIdentity instanceof KeyIdentity.UserAssigned user) {
            detached.remove(user.id());
        }
        boolean keepSystem = current.systemAssigned() != null
                && (before.systemAssigned() != null
                        || !current.systemAssigned().equals(widened.systemAssigned())
                        || keyIdentity instanceof KeyIdentity.SystemAssigned);
        boolean keepUsers = current.userAssignedIds().stream().anyMatch(id -> !detached.contains(id));
        return new IdentityUpdate(keepSystem, keepUsers, Set.of(), detached);
    }

    private static Order couldNotUndo(OrderRef name, RuntimeException e) {
        LOG.log(Level.WARNING, "Could not detach the identities attached for a refused key change of " + name, e);
        return null;
    }

    /** A job of another tenant is not found, like one that does not exist (no existence leak, issue 12). */
    private JobRecord requireCreated(JobKey key, JobCaller caller) {
        return findCreated(key, caller).orElseThrow(() -> JobException.notFound(key));
    }

    private Optional<JobRecord> findCreated(JobKey key, JobCaller caller) {
        requireSubscription(key.subscriptionId(), caller);
        return records.find(key)
                .filter(record -> caller.sameTenant(record.tenantId()))
                .flatMap(record -> createdOrCutShort(record, caller));
    }

    /**
     * The record of a created job. A record still Creating whose order exists, made longer ago than any request may
     * take, was left by a PUT cut short between the order's write and the record's (a crash): the job is finished
     * as that PUT would have finished it, with the tags, SKU and properties it recorded. Only the same PUT again
     * reached such a job before; GET, PATCH and cancel answered 404 and DELETE asked to cancel it first, so its
     * order and identity stayed for ever (bug bash of 2026-12-06, crash F1). The order's age decides, not the
     * record's: a PUT that goes on with an old record makes its order later, and may still be finishing it.
     */
    private Optional<JobRecord> createdOrCutShort(JobRecord record, JobCaller caller) {
        if (record.created()) {
            return Optional.of(record);
        }
        if (creationMayBeUnderWay(record)
                || findOrder(ref(record))
                        .filter(order ->
                                order.createdAt().plus(CREATION_MAY_TAKE).isBefore(clock.instant()))
                        .isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(records.replace(record.withState(JobRecord.SUCCEEDED)));
        } catch (JobException e) {
            if (e.kind() != JobException.Kind.Stale) {
                throw e;
            }
            // Finished (or deleted) meanwhile by another request.
            return records.find(record.key())
                    .filter(JobRecord::created)
                    .filter(found -> caller.sameTenant(found.tenantId()));
        }
    }

    /** As {@link #createdOrCutShort} for one row of a listing: a row that cannot be finished now is left out. */
    private Optional<JobRecord> listedCreatedOrCutShort(JobRecord record, JobCaller caller) {
        if (record.created()) {
            return Optional.of(record);
        }
        try {
            return createdOrCutShort(record, caller);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "Could not finish the cut-short creation of " + record.key().resourceId(),
                    e);
            return Optional.empty();
        }
    }

    /**
     * A subscription belongs to the tenant of its first job: a caller of another tenant finds nothing in
     * it. Before a subscription's first job binds it, the caller must hold Microsoft.DataBox/jobs/write
     * in the job's resource group, as ARM requires before a request reaches the resource provider;
     * otherwise any tenant could take a subscription it has no rights in, and its owner could create no
     * job there.
     */
    private void bindOrRequireSubscription(JobKey key, JobCaller caller) {
        Optional<String> bound = records.subscriptionTenant(key.subscriptionId());
        if (bound.isEmpty()) {
            JobsAccess.Decision decision =
                    access.mayCreateJobs(caller.asOrderCaller(), key.subscriptionId(), key.resourceGroup());
            if (decision == JobsAccess.Decision.Unknown) {
                throw new JobException(
                        JobErrorCode.AuthorizationFailed,
                        "The service could not read the role assignments in the subscription '" + key.subscriptionId()
                                + "' to check that the caller may create jobs there (its first job). Give the "
                                + "service's identity read access to role assignments there (Reader, say), then retry.",
                        null);
            }
            if (decision != JobsAccess.Decision.Granted) {
                throw new JobException(
                        JobErrorCode.AuthorizationFailed,
                        "The client with object ID '" + caller.objectId()
                                + "' does not have authorization to perform action "
                                + "'Microsoft.DataBox/jobs/write' over scope '/subscriptions/" + key.subscriptionId()
                                + "/resourceGroups/" + key.resourceGroup() + "' or the scope is invalid. If access "
                                + "was recently granted, refresh your credentials.",
                        null);
            }
            bound = Optional.of(records.bindSubscription(key.subscriptionId(), caller.tenantId()));
        }
        if (!caller.sameTenant(bound.get())) {
            throw subscriptionNotFound(key.subscriptionId());
        }
    }

    /** ARM answers SubscriptionNotFound when the caller's tenant does not own the subscription. */
    private void requireSubscription(String subscriptionId, JobCaller caller) {
        Optional<String> tenant = records.subscriptionTenant(subscriptionId);
        if (tenant.isPresent() && !caller.sameTenant(tenant.get())) {
            throw subscriptionNotFound(subscriptionId);
        }
    }

    private static JobException subscriptionNotFound(String subscriptionId) {
        return new JobException(
                JobErrorCode.SubscriptionNotFound,
                "The subscription '" + subscriptionId + "' could not be found.",
                "subscriptionId");
    }

    private static OrderRef ref(JobRecord record) {
        return new OrderRef(new TenantId(record.tenantId()), new OrderName(record.orderName()));
    }

    private Optional<Order> findOrder(OrderRef name) {
        try {
            return Optional.of(orders.get(name));
        } catch (ServiceException e) {
            if (e.code() == ErrorCode.OrderNotFound) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
