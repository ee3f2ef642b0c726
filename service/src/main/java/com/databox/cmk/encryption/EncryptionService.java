package com.databox.cmk.encryption;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.Caller;
import com.databox.cmk.order.ChangeEvents;
import com.databox.cmk.order.CustomerResolutionCode;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KekWait;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.LostRaces;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.Outcome;
import com.databox.cmk.order.ProtectedUnlockKey;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UnlockKeyProtector;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The customer-managed-key operations. Each change is one transaction (API.md, "What every
 * key change must guarantee"): unwrap with what protects the key now, check the new
 * configuration by wrapping the unlock key with it and unwrapping that again as the new
 * identity, then one write conditional on the ETag read. Until that write, nothing is
 * stored, so a failure at any step leaves the order as it was.
 */
public class EncryptionService {
    private final Orders orders;

    private final OrderService orderService;
    private final KeyRequirements requirements;
    private final UnlockKeyProtector protector;
    private final KeyUrl microsoftKey;
    private final SecureRandom random;
    private final Clock clock;

    public EncryptionService(
            Orders orders,
            OrderService orderService,
            KeyRequirements requirements,
            UnlockKeyProtector protector,
            KeyUrl microsoftKey,
            SecureRandom random,
            Clock clock) {
        this.orders = orders;
        this.orderService = orderService;
        this.requirements = requirements;
        this.protector = protector;
        this.microsoftKey = microsoftKey;
        this.random = random;
        this.clock = clock;
    }

    /** Creates an order whose unlock key is protected by a customer-managed key from the start. */
    public Order create(OrderRef ref, NewOrder request, Caller caller) {
        KeyEncryptionKeyRequest target = request.keyEncryptionKey();
        // A key URL that can never be used, or a vault ID naming another vault, is refused before the
        // order's identities are made and assigned (Resource Manager calls the refusal would undo).
        Order unmade = Order.draft(ref, request.location(), OrderIdentity.NONE, clock.instant());
        KeyUrl keyUrl = requirements.checkUrl(target.kekUrl(), unmade);
        Order.vaultResourceIdFor(keyUrl, target.vault()).orElseThrow();
        // The draft is in the same location, so in the same cloud: the URL checked above is the one to use.
        return orderService.create(
                ref, request, caller, (draft, unlockKey) -> protectWith(draft, keyUrl, target, unlockKey));
    }

    public Order enable(OrderRef ref, KeyEncryptionKeyRequest request, IfMatch ifMatch, String actor) {
        return change(ref, ifMatch, actor, "enable", order -> customerKey(order, request, UnwrapAs.CURRENT_IDENTITY));
    }

    /** The key the service names itself: the versionless URL of the order's key, whose newest version it moves to. */
    public Order changeKey(OrderRef ref, KeyUrl kekUrl, VaultResourceId vault, IfMatch ifMatch, String actor) {
        return changeKey(ref, RequestedKeyUrl.of(kekUrl), false, vault, ifMatch, actor);
    }

    /** @param followsNewVersions as {@link KeyEncryptionKeyRequest#followsNewVersions()} */
    public Order changeKey(
            OrderRef ref,
            RequestedKeyUrl kekUrl,
            boolean followsNewVersions,
            VaultResourceId vault,
            IfMatch ifMatch,
            String actor) {
        return change(ref, ifMatch, actor, "change-key", order -> {
            // A URL that can never be used is refused first, before the rules about its vault.
            KeyUrl checked = requirements.checkUrl(kekUrl, order);
            return new CustomerKey(
                    order.keyChange(kekUrl, followsNewVersions, vault).orElseThrow(),
                    checked,
                    UnwrapAs.CURRENT_IDENTITY);
        });
    }

    /**
     * The key version does not change, so the stored wrapped key is unwrapped <em>as the new
     * identity</em>: the old one is not needed, and may be deleted, in another tenant or detached
     * (the remedies for KekUserIdentityNotFound, CrossTenantIdentityAccessForbidden and
     * UserAssignedIdentityAbsent, issue 11 item 1).
     */
    public Order changeIdentity(OrderRef ref, KeyIdentity identity, IfMatch ifMatch, String actor) {
        TargetOf asNewIdentity =
                order -> customerKey(order, order.keyIdentityChange(identity).orElseThrow(), UnwrapAs.NEW_IDENTITY);
        try {
            return change(ref, ifMatch, actor, "change-identity", asNewIdentity);
        } catch (ServiceException newestRefused) {
            if (newestRefused.code().saysNothingOfTheKey()
                    || !orderService.get(ref).followsNewKeyVersions()) {
                throw newestRefused;
            }
            // The newest version is not usable yet (disabled, expired, not yet valid, its key_ops): the remedy
            // must not depend on it. The stored version is proven instead, and newer ones are still followed.
            TargetOf atStoredVersion = order -> customerKey(
                    order, order.keyIdentityChangeAtStoredVersion(identity).orElseThrow(), UnwrapAs.NEW_IDENTITY);
            return change(ref, ifMatch, actor, "change-identity", atStoredVersion);
        }
    }

    public Order useMicrosoftKey(OrderRef ref, IfMatch ifMatch, String actor) {
        return change(ref, ifMatch, actor, "use-microsoft-key", order -> MICROSOFT_KEY);
    }

    /**
     * Checks the proposed configuration, or the current one when {@code proposal} is null, and
     * then records the order's key health. Nothing else changes. A check that Key Vault, the token
     * service or Resource Manager could not answer is no finding: it is answered as the outage (503)
     * and the stored health stays, as the audit and Data Copy treat it. A stale {@code ifMatch} answers
     * {@code 412} before anything is checked or written, as on every route that may change the order (bug bash
     * of 2026-12-06, bb92 H2: it was ignored, and the health written and its event published all the same).
     */
    public ValidationReport validate(OrderRef ref, KeyEncryptionKeyRequest proposal, IfMatch ifMatch, String actor) {
        Order order = orderService.get(ref);
        OrderService.requireMatch(order, ifMatch);
        byte[] probe = Probe.random(random);
        if (proposal != null) {
            return withoutOutage(requirements.check(order, proposal, probe));
        }
        ValidationReport report = withoutOutage(
                switch (order.protection()) {
                    case KeyProtection.CustomerManaged current ->
                        requirements.check(order, current.keyUrl(), current.keyIdentity(), probe);
                    case KeyProtection.MicrosoftManaged microsoft ->
                        requirements.checkMicrosoftKey(order.wrappedUnlockKey().keyUrl(), probe);
                });
        recordHealth(order, report, actor);
        return report;
    }

    private static ValidationReport withoutOutage(ValidationReport report) {
        Optional<ServiceException> failure = report.firstFailure();
        if (failure.isPresent() && failure.get().code().saysNothingOfTheKey()) {
            throw failure.get();
        }
        return report;
    }

    /**
     * Moves the order on. Entering Data Copy runs the checks of {@code validate} and a real unwrap of
     * the stored unlock key; when they fail, the order stays in its stage, waiting for the customer
     * ({@code WaitingForCustomerActionForKek}), with the error on the order and in its history and an
     * event in its outbox; the caller gets the error. An outage of Key Vault holds nothing: it answers 503.
     */
    public Order moveStage(OrderRef ref, Stage next, IfMatch ifMatch, String actor) {
        if (!Order.needsUnlockKeyProof(next)) {
            return orderService.moveStage(ref, next, ifMatch, actor);
        }
        return LostRaces.retried(ifMatch, ref.name(), () -> {
            Order current = orderService.get(ref);
            OrderService.requireMatch(current, ifMatch);
            if (current.isAlreadyIn(next)) {
                return current; // proven when it got there; a retry changes nothing
            }
            current.moveTo(next).orElseThrow();
            return proveThenMove(current, next, actor, "stage", "Stage " + current.stage() + " -> " + next);
        });
    }

    /**
     * {@code POST …/mitigate} with {@code Resume}: re-runs the checks of the held stage and moves the
     * order on when they pass; otherwise it keeps waiting with the newer error. The same {@code Resume} again, once
     * it has moved the order on and nothing has changed the order since, answers the order as it is: a client's
     * retry after a lost answer (bug bash bb96 F1: it was refused {@code 409}, as if the order had not been resumed).
     */
    public Order mitigate(OrderRef ref, CustomerResolutionCode code, IfMatch ifMatch, String actor) {
        code.requireResume();
        return LostRaces.retried(ifMatch, ref.name(), () -> {
            Order current = orderService.get(ref);
            OrderService.requireMatch(current, ifMatch);
            Outcome<KekWait> waiting = current.waitingForKek();
            if (!waiting.isAllowed() && resumedLast(current)) {
                return current;
            }
            KekWait wait = waiting.orElseThrow();
            current.moveTo(wait.target()).orElseThrow();
            return proveThenMove(
                    current,
                    wait.target(),
                    actor,
                    RESUMED,
                    "Resumed by the customer: stage " + current.stage() + " -> " + wait.target());
        });
    }

    /** The history action of a resume that moved the order on; a resume that failed holds it again as "stage". */
    private static final String RESUMED = "mitigate";

    /** Whether the order's current version is the one a resume made. */
    private boolean resumedLast(Order order) {
        return orders.changeThatMade(order)
                .filter(change -> RESUMED.equals(change.action()))
                .isPresent();
    }

    private Order proveThenMove(Order stored, Stage next, String actor, String action, String summary) {
        Order current = stored;
        ServiceException failure = proveUnlockKey(current);
        if (failure != null && !failure.code().saysNothingOfTheKey() && current.followsNewKeyVersions()) {
            Optional<Order> onNewest = movedToNewestVersion(current, actor);
            if (onNewest.isPresent()) {
                // The change ran the same checks on the new version and unwrapped what it wrapped: proven.
                current = onNewest.get();
                failure = null;
            }
        }
        if (failure == null) {
            Order moved = current.moveTo(next).orElseThrow();
            Order proven =
                    current.isCustomerManaged() ? moved.withKeyHealth(KeyHealth.healthy(clock.instant())) : moved;
            return orders.replace(
                    proven,
                    new HistoryEntry(clock.instant(), action, actor, summary),
                    ChangeEvents.KEY_HEALTH.of(current, proven));
        }
        if (failure.code().saysNothingOfTheKey()) {
            throw failure;
        }
        hold(current, next, failure, actor);
        throw failure;
    }

    /**
     * An order that follows new versions of its key, whose stored version fails its proof (expired, say), moved to the
     * key's newest version, as the audit would move it within the hour: a customer who made a new version, as the
     * resolution says, and resumes is not held until then (bug bash sr2 F1). The change is the change-key transaction
     * (the stored key unwrapped as the current identity, the new version proven, written with its history and event).
     * Empty when there is no newer version or it cannot be used either: the stored version's failure stands. An outage
     * stays an outage.
     */
    private Optional<Order> movedToNewestVersion(Order order, String actor) {
        try {
            CustomerKey newest = customerKey(order, order.newestKeyVersion().orElseThrow(), UnwrapAs.CURRENT_IDENTITY);
            Order moved = toCustomerKey(order, newest, actor, "change-key");
            return moved == order ? Optional.empty() : Optional.of(moved);
        } catch (ServiceException cannotMove) {
            if (cannotMove.code().saysNothingOfTheKey()) {
                throw cannotMove;
            }
            return Optional.empty();
        }
    }

    /** The checks of validate and a real unwrap of the stored key; null when all passed. */
    private ServiceException proveUnlockKey(Order order) {
        try {
            WrappingIdentity identity;
            if (order.protection() instanceof KeyProtection.CustomerManaged current) {
                byte[] probe = Probe.random(random);
                ValidationReport report = requirements.check(order, current.keyUrl(), current.keyIdentity(), probe);
                Optional<ServiceException> failed = report.firstFailure();
                if (failed.isPresent()) {
                    return failed.get();
                }
                identity = requirements.resolve(order, current.keyIdentity());
            } else {
                identity = order.currentWrappingIdentity().orElseThrow();
            }
            Arrays.fill(protector.unwrap(order.wrappedUnlockKey(), identity), (byte) 0);
            return null;
        } catch (ServiceException e) {
            return e;
        }
    }

    private void hold(Order current, Stage next, ServiceException failure, String actor) {
        Order held = current.heldForKek(
                next, failure.code(), failure.getMessage(), failure.specificResolution(), clock.instant());
        if (held.equals(current)) {
            // Held already, for the same finding: no write, no new ETag, no history row (as validate).
            return;
        }
        KekWait before = current.kekWait();
        ChangeEvents waiting = before == null || before.errorCode() != failure.code()
                ? (was, now) -> List.of(OrderEvent.waitingForKek(now.eventKeyId(), now.kekWait()))
                : ChangeEvents.NONE;
        List<OrderEvent> events = waiting.and(ChangeEvents.KEY_HEALTH).of(current, held);
        try {
            orders.replace(
                    held,
                    new HistoryEntry(
                            clock.instant(),
                            "stage",
                            actor,
                            KekWait.STAGE_STATUS + " before " + next + ": " + failure.code()),
                    events);
        } catch (StaleOrderException changedMeanwhile) {
            // A concurrent change wrote first; the caller still hears why the stage did not move.
        }
    }

    private void recordHealth(Order order, ValidationReport report, String actor) {
        KeyHealth health = report.firstFailure()
                .map(e -> KeyHealth.accessLost(e.code(), e.getMessage(), clock.instant()))
                .orElseGet(() -> KeyHealth.healthy(clock.instant()));
        if (health.sameFindingAs(order.keyHealth())) {
            // Nothing new: no write, no new ETag, no history row (issue 15, item 6).
            return;
        }
        Order checked = order.withKeyHealth(health);
        try {
            orders.replace(
                    checked,
                    new HistoryEntry(
                            clock.instant(),
                            "validate",
                            actor,
                            "Key health " + health.status()
                                    + (health.errorCode() == null ? "" : " (" + health.errorCode() + ")")),
                    ChangeEvents.KEY_HEALTH.of(order, checked));
        } catch (StaleOrderException changedMeanwhile) {
            // A concurrent change has checked the key itself; its health is the newer one.
        }
    }

    /** A race lost to another change is retried from a fresh read, unless the caller pinned a version with If-Match. */
    private Order change(OrderRef ref, IfMatch ifMatch, String actor, String action, TargetOf targetOf) {
        return LostRaces.retried(ifMatch, ref.name(), () -> {
            Order order = orderService.get(ref);
            OrderService.requireMatch(order, ifMatch);
            order.encryptionMayChange().orElseThrow();
            return switch (targetOf.target(order)) {
                case MicrosoftKey microsoft -> toMicrosoftKey(order, actor, action);
                case CustomerKey customer -> toCustomerKey(order, customer, actor, action);
            };
        });
    }

    private Order toMicrosoftKey(Order order, String actor, String action) {
        byte[] unlockKey = protector.unwrap(
                order.wrappedUnlockKey(), order.currentWrappingIdentity().orElseThrow());
        try {
            return written(
                    order,
                    new ProtectedUnlockKey(
                            KeyProtection.MICROSOFT_MANAGED,
                            protector.wrapVerified(microsoftKey, WrappingIdentity.SERVICE, unlockKey)),
                    actor,
                    action);
        } finally {
            Arrays.fill(unlockKey, (byte) 0);
        }
    }

    private Order toCustomerKey(Order order, CustomerKey target, String actor, String action) {
        KeyEncryptionKeyRequest request = target.request();
        KeyUrl keyUrl = target.keyUrl();
        WrappingIdentity unwrapAs = switch (target.unwrapAs()) {
            case CURRENT_IDENTITY -> order.currentWrappingIdentity().orElseThrow();
            case NEW_IDENTITY -> requirements.resolve(order, request.identity());
        };
        byte[] unlockKey = unwrapStored(order, unwrapAs, request, keyUrl);
        try {
            ProtectedUnlockKey next = protectWith(order, keyUrl, request, unlockKey);
            if (target.unwrapAs() == UnwrapAs.NEW_IDENTITY
                    && order.protection() instanceof KeyProtection.CustomerManaged before
                    && before.autoRotation()
                    && next.protection() instanceof KeyProtection.CustomerManaged after) {
                // A change of identity proves the stored version and keeps following newer ones.
                next = new ProtectedUnlockKey(after.followingNewVersions(), next.wrapped());
            }
            return written(order, next, actor, action);
        } finally {
            Arrays.fill(unlockKey, (byte) 0);
        }
    }

    /** The order protected by {@code next}, written with the change's history and events, unless it already was. */
    private Order written(Order order, ProtectedUnlockKey next, String actor, String action) {
        if (order.isAlreadyProtectedBy(next.protection())) {
            // Its stored wrapped key was unwrapped just now, as the same identity: no new ETag, history or event.
            return order;
        }
        KeyHealth healthy = KeyHealth.healthy(clock.instant());
        // Proven now: a wait for the key ends only when the customer resumes the order, and says only that is left.
        Order changed = order.withProtection(next.protection(), next.wrapped()).withKeyHealth(healthy);
        if (changed.kekWait() != null) {
            changed = changed.withKekWait(changed.kekWait().provenSince(action));
        }
        return orders.replace(
                changed,
                new HistoryEntry(
                        clock.instant(),
                        action,
                        actor,
                        Order.describe(order.protection()) + " -> " + Order.describe(next.protection())),
                ChangeEvents.KEY_VERSION.and(ChangeEvents.KEY_HEALTH).of(order, changed));
    }

    /**
     * The order's unlock key, unwrapped by its stored key; when that key refuses (gone from its URL for good, say),
     * by the customer's target key, as its identity: RSA-OAEP unwraps only with the same private key, so the
     * customer still holds the order's key, restored from a backup into another vault or imported again, and the
     * change goes on to prove and write the target as any change does. Every way off a key unwrapped with it
     * first, so such an order was stranded (bug bash of 2026-12-06, held keys F1, F2). When the target cannot
     * unwrap it either, the stored key's refusal is the answer; an outage stays an outage.
     */
    private byte[] unwrapStored(
            Order order, WrappingIdentity unwrapAs, KeyEncryptionKeyRequest target, KeyUrl targetUrl) {
        WrappedUnlockKey stored = order.wrappedUnlockKey();
        try {
            return protector.unwrap(stored, unwrapAs);
        } catch (ServiceException refused) {
            if (refused.code().saysNothingOfTheKey()
                    || !(order.protection() instanceof KeyProtection.CustomerManaged)
                    || targetUrl.equals(stored.keyUrl())) {
                throw refused;
            }
            try {
                return protector.unwrap(stored.asWrappedBy(targetUrl), requirements.resolve(order, target.identity()));
            } catch (ServiceException notTheSameKey) {
                if (notTheSameKey.code().isTransient()) {
                    // The copy's vault did not answer: that is the answer to retry, not the stored key's loss.
                    throw notTheSameKey;
                }
                refused.addSuppressed(notTheSameKey);
                throw refused;
            }
        }
    }

    /** Checks the customer's key and wraps with it, proven by unwrapping as the same identity. */
    private ProtectedUnlockKey protectWith(
            Order order, KeyUrl keyUrl, KeyEncryptionKeyRequest target, byte[] unlockKey) {
        Order.vaultResourceIdFor(keyUrl, target.vault()).orElseThrow();
        ValidationReport report = requirements.check(order, keyUrl, target.identity(), unlockKey);
        WrappedUnlockKey wrapped = report.wrapped();
        if (wrapped == null) {
            throw report.firstFailure().orElseThrow();
        }
        return new ProtectedUnlockKey(target.protectionBy(keyUrl, wrapped.keyUrl()), wrapped);
    }

    @FunctionalInterface
    private interface TargetOf {
        /** The configuration to move to, computed from the order as read. */
        Target target(Order order);
    }

    /** Where a change moves the order's unlock key. */
    private sealed interface Target {}

    /** The service's own key, the stored one unwrapped as the order's current identity. */
    private record MicrosoftKey() implements Target {}

    private static final MicrosoftKey MICROSOFT_KEY = new MicrosoftKey();

    /** The customer's key the request names, its URL checked ({@link KeyRequirements#checkUrl}). */
    private record CustomerKey(KeyEncryptionKeyRequest request, KeyUrl keyUrl, UnwrapAs unwrapAs) implements Target {}

    /** A URL that can never be used is refused before anything, even the unwrap, calls a vault. */
    private CustomerKey customerKey(Order order, KeyEncryptionKeyRequest request, UnwrapAs unwrapAs) {
        return new CustomerKey(request, requirements.checkUrl(request.kekUrl(), order), unwrapAs);
    }

    /** As whom a change to a customer's key unwraps the stored unlock key before it wraps it again. */
    private enum UnwrapAs {
        /** The order's current identity, which still reaches the stored key. */
        CURRENT_IDENTITY,
        /**
         * The identity the change moves to: a change of identity, whose key version stays, needs nothing of the old
         * identity, which may be deleted, in another tenant or detached (the seed's remedies).
         */
        NEW_IDENTITY
    }
}
