package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.error.UnconfirmedWriteException;
import com.databox.cmk.unlockkey.DevicePasswords;
import com.databox.cmk.unlockkey.UnlockKeyProtector;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Creating, reading and changing orders (but not their encryption, see the encryption package). */
public class OrderService {
    private static final Logger LOG = Logger.getLogger(OrderService.class.getName());

    private final Orders orders;
    private final IdentityDirectory directory;
    private final IdentityUse identityUse;
    private final UnlockKeyProtector protector;
    private final OrderSettings settings;
    private final Clock clock;

    public OrderService(
            Orders orders,
            IdentityDirectory directory,
            IdentityUse identityUse,
            UnlockKeyProtector protector,
            OrderSettings settings,
            Clock clock) {
        this.orders = orders;
        this.directory = directory;
        this.identityUse = identityUse;
        this.protector = protector;
        this.settings = settings;
        this.clock = clock;
    }

    /** The order in its tenant; another tenant's order of that name is as absent as one that never was. */
    public Order get(OrderRef ref) {
        return find(ref).orElseThrow(() -> notFound(ref.name()));
    }

    public Optional<Order> find(OrderRef ref) {
        return orders.find(ref);
    }

    /**
     * The orders of {@code refs}, in that order, as {@link #get} reads each, but read together: a few queries a
     * tenant ({@link Orders#findAll}), not one each. The first of them that does not exist is not found.
     */
    public List<Order> getAll(List<OrderRef> refs) {
        Map<TenantId, Set<OrderName>> byTenant = new HashMap<>();
        refs.forEach(ref ->
                byTenant.computeIfAbsent(ref.tenant(), t -> new HashSet<>()).add(ref.name()));
        Map<OrderRef, Order> found = new HashMap<>();
        byTenant.forEach(
                (tenant, names) -> orders.findAll(tenant, names).forEach(order -> found.put(order.ref(), order)));
        List<Order> listed = new ArrayList<>(refs.size());
        for (OrderRef ref : refs) {
            Order order = found.get(ref);
            if (order == null) {
                throw notFound(ref.name());
            }
            listed.add(order);
        }
        return listed;
    }

    /** The tenant's orders after {@code after} (null: from the first); see {@link Orders#listAfter}. */
    public OrderPage list(TenantId tenant, int top, OrderName after) {
        return orders.listAfter(tenant, top, after);
    }

    /**
     * A replacement naming a customer-managed key other than the order's own, complete or not, or the
     * Microsoft-managed key for an order on a customer-managed one: the key is not the replacement's to change. The
     * order's own, as answered, is taken back and ignored ({@link Order#isProtectedAsRequested}).
     */
    public static ServiceException keyChangesOnlyThroughEncryption() {
        return ServiceException.invalidRequest(
                "A replacement takes the order's keyEncryptionKey only unchanged, as the order's answer shows it "
                        + "(kekUrl, autoRotation, identityProperties, kekVaultResourceID): send it unchanged or leave "
                        + "it out. An existing order's key changes only through the encryption routes "
                        + "(encryption/change-key, change-identity or use-microsoft-key; encryption/enable for an "
                        + "order on the Microsoft-managed key).",
                "keyEncryptionKey");
    }

    /**
     * Creates the order with a new device unlock key wrapped by the Microsoft-managed key, or,
     * with {@code ifMatch}, replaces the location and identity of the existing one (its key
     * protection changes only through the encryption operations; the key it has may be named unchanged).
     */
    public Order createOrReplace(OrderRef ref, NewOrder request, IfMatch ifMatch, Caller caller) {
        if (!ifMatch.sent()) {
            return create(
                    ref,
                    request,
                    caller,
                    (draft, unlockKey) -> new ProtectedUnlockKey(
                            KeyProtection.MICROSOFT_MANAGED,
                            protector.wrapVerified(settings.microsoftKey(), WrappingIdentity.SERVICE, unlockKey)));
        }
        return LostRaces.retried(ifMatch, ref.name(), () -> {
            Order current = replaced(ref);
            if (request.devicePassword() != null) {
                throw ServiceException.invalidRequest(
                        "The device password can only be given when the order is created.", "devicePassword");
            }
            requireMatch(current, ifMatch);
            // The order's own key sent back (read, modified, written back) is ignored, as ARM ignores a read-only
            // property sent back with its value: what applies is what applies to the body without it. Compared
            // after If-Match: a key changed since the read (a rotation followed, say) is the read's age, told 412.
            if (request.keyEncryptionKey() != null && !current.isProtectedAsRequested(request.keyEncryptionKey())) {
                throw keyChangesOnlyThroughEncryption();
            }
            // Ignored, a revert asked of an order on a customer-managed key would be taken for done: a customer who
            // then deleted the key would lose the device unlock key with it.
            if (request.namesMicrosoftManagedKey() && current.isCustomerManaged()) {
                throw keyChangesOnlyThroughEncryption();
            }
            return writeLocationAndIdentity(current, request.location(), identityOf(request), "replace", caller);
        });
    }

    /**
     * The order a PUT with {@code If-Match} replaces; one that does not exist is told before anything of the
     * body ({@code 412}: what the body may not replace, its key say, is an existing order's).
     */
    public Order replaced(OrderRef ref) {
        return orders.find(ref)
                .orElseThrow(() -> new ServiceException(
                        ErrorCode.PreconditionFailed,
                        "The order '" + ref.name() + "' does not exist, so If-Match cannot match it.",
                        "If-Match"));
    }

    /**
     * Creates the order: its identities first (a customer-managed key may be reached through
     * them), then a new device unlock key protected as {@code protection} says.
     */
    public Order create(OrderRef ref, NewOrder request, Caller caller, InitialProtection protection) {
        requireOwnTenant(ref, caller);
        if (orders.find(ref).isPresent()) {
            throw new OrderConflictException(ref.name());
        }
        // The customer's password is checked before anything (an identity, say) is created.
        byte[] supplied = request.devicePassword() == null ? null : customerPassword(request.devicePassword());
        OrderIdentity newIdentity;
        try {
            newIdentity = resolveIdentity(ref.name(), OrderIdentity.NONE, identityOf(request), caller);
        } catch (RuntimeException e) {
            if (supplied != null) {
                Arrays.fill(supplied, (byte) 0);
            }
            throw e;
        }
        byte[] unlockKey = supplied != null ? supplied : protector.newUnlockKey();
        try {
            Instant now = clock.instant();
            Order draft = Order.draft(ref, request.location(), newIdentity, now);
            ProtectedUnlockKey protectedKey = protection.protect(draft, unlockKey);
            KeyHealth health = protectedKey.protection() instanceof KeyProtection.CustomerManaged
                    ? KeyHealth.healthy(now)
                    : KeyHealth.UNKNOWN;
            return orders.create(
                    draft.withProtection(protectedKey.protection(), protectedKey.wrapped())
                            .withKeyHealth(health),
                    history(
                            now,
                            "create",
                            caller.actor(),
                            "Order created; device unlock key wrapped by "
                                    + protectedKey.wrapped().keyUrl()));
        } catch (RuntimeException e) {
            deleteIfNew(OrderIdentity.NONE, newIdentity, e);
            throw keyThroughSystemAssigned(request)
                    ? SystemAssignedDeletedAgain.refusal(
                            e, OrderIdentity.NONE, newIdentity, SystemAssignedDeletedAgain.CREATE_WITHOUT_THE_KEY_FIRST)
                    : e;
        } finally {
            Arrays.fill(unlockKey, (byte) 0);
        }
    }

    private static boolean keyThroughSystemAssigned(NewOrder request) {
        return request.keyEncryptionKey() != null
                && request.keyEncryptionKey().identity() instanceof KeyIdentity.SystemAssigned;
    }

    /** The customer's own password, checked against the rules; the caller clears the bytes. */
    private static byte[] customerPassword(char[] password) {
        DevicePasswords.requireValid(java.nio.CharBuffer.wrap(password));
        byte[] bytes = new byte[password.length];
        for (int i = 0; i < password.length; i++) {
            bytes[i] = (byte) password[i];
        }
        return bytes;
    }

    private static IdentityUpdate identityOf(NewOrder request) {
        return request.identity() == null ? IdentityUpdate.NONE : request.identity();
    }

    public Order updateIdentity(OrderRef ref, IdentityUpdate update, IfMatch ifMatch, Caller caller) {
        requireOwnTenant(ref, caller);
        return LostRaces.retried(ifMatch, ref.name(), () -> {
            Order current = get(ref);
            requireMatch(current, ifMatch);
            return writeLocationAndIdentity(current, current.location(), update, "identity", caller);
        });
    }

    public Order moveStage(OrderRef ref, Stage next, IfMatch ifMatch, String actor) {
        return LostRaces.retried(ifMatch, ref.name(), () -> {
            Order current = get(ref);
            requireMatch(current, ifMatch);
            if (current.isAlreadyIn(next)) {
                // No write, no new ETag, no history row: as the move that got there answered.
                return current;
            }
            Order moved = current.moveTo(next).orElseThrow();
            if (Order.needsUnlockKeyProof(next)) {
                Arrays.fill(unwrapUnlockKey(current), (byte) 0);
            }
            return orders.replace(
                    moved, history(clock.instant(), "stage", actor, "Stage " + current.stage() + " -> " + next));
        });
    }

    /**
     * The device unlock key in plain form, for {@code listCredentials} only. The caller must clear it. Refused
     * because the key's user-assigned identity was deleted, the answer says so, as validate's does, rather than
     * Key Vault's refusal, whose resolution asks to grant an identity that no longer exists (bug bash of
     * 2026-12-06, remedies F2).
     */
    public byte[] revealUnlockKey(OrderRef ref) {
        Order order = get(ref);
        // Asked beside the unwrap, on a thread of its own: a Resource Manager that does not answer then costs its
        // own deadline, not the request's, which the unwrap shares and would have found spent (503 from a healthy
        // vault; review of 2026-12-06, F1).
        Future<Optional<ServiceException>> keyIdentityRefused = LOOKUPS.submit(() -> keyIdentityRefusal(order));
        byte[] unlockKey;
        try {
            unlockKey = unwrapCurrent(ref, order);
        } catch (RuntimeException refused) {
            keyIdentityRefused.cancel(true);
            throw refused;
        }
        Optional<ServiceException> identityRefused = refusalOrNone(keyIdentityRefused);
        if (identityRefused.isEmpty()) {
            return unlockKey;
        }
        Arrays.fill(unlockKey, (byte) 0);
        // The key's identity was deleted, unless the customer moved the key to another identity meanwhile.
        Order now = get(ref);
        if (!Objects.equals(now.etag(), order.etag()) && keyIdentityRefusal(now).isEmpty()) {
            return unwrapCurrent(ref, now);
        }
        throw identityRefused.get();
    }

    private byte[] unwrapCurrent(OrderRef ref, Order order) {
        try {
            return unwrapUnlockKey(order);
        } catch (ServiceException refused) {
            if (refused.code().saysNothingOfTheKey()) {
                throw refused;
            }
            // A key or identity change answered meanwhile, and the old key retired: the order's newer wrapped key
            // is the one to unwrap, not the copy read before it (bug bash of 2026-12-06, races F2).
            Order now = get(ref);
            if (Objects.equals(now.etag(), order.etag())) {
                throw keyIdentityRefusalOr(order, refused);
            }
            try {
                return unwrapUnlockKey(now);
            } catch (ServiceException again) {
                throw again.code().saysNothingOfTheKey() ? again : keyIdentityRefusalOr(now, again);
            }
        }
    }

    /** A lookup is one blocking Resource Manager call: a virtual thread each, never one of the request's own. */
    private static final ExecutorService LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * The directory's refusal of the order's key identity, if it is a user-assigned one that the directory no longer
     * has as the order was given it (deleted, or deleted and created again). A deleted identity is not used, even
     * while a token it was given before its deletion is still valid: Key Vault would take that token until it
     * expires, and the password was revealed after the customer had deleted the identity, while validate named it
     * deleted (bug bash of 2026-12-06, generated clients F3). None too when the directory cannot tell (the vault's
     * answer stands then).
     */
    private Optional<ServiceException> keyIdentityRefusal(Order order) {
        return userAssignedKeyIdentity(order).flatMap(user -> {
            try {
                return user.refusedBy(directory.findUserAssigned(user.id()), order.identity());
            } catch (RuntimeException unknown) {
                return Optional.empty();
            }
        });
    }

    private static Optional<KeyIdentity.UserAssigned> userAssignedKeyIdentity(Order order) {
        return order.protection() instanceof KeyProtection.CustomerManaged key
                        && key.keyIdentity() instanceof KeyIdentity.UserAssigned user
                ? Optional.of(user)
                : Optional.empty();
    }

    /** The directory's answer; one it could not give is no refusal, as {@link #keyIdentityRefusal} has it. */
    private static Optional<ServiceException> refusalOrNone(Future<Optional<ServiceException>> lookup) {
        try {
            return lookup.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    private ServiceException keyIdentityRefusalOr(Order order, ServiceException refused) {
        Optional<ServiceException> identityRefused = keyIdentityRefusal(order);
        if (identityRefused.isEmpty()) {
            return refused;
        }
        ServiceException deleted = identityRefused.get();
        deleted.addSuppressed(refused);
        return deleted;
    }

    private byte[] unwrapUnlockKey(Order order) {
        return protector.unwrap(
                order.wrappedUnlockKey(), order.currentWrappingIdentity().orElseThrow());
    }

    /**
     * The order with {@code location} and the identity {@code update} asks for: what a {@code PUT} replaces (the key
     * changes only through the encryption routes, the device password only at creation) and a {@code PATCH} of the
     * identity changes. A member a {@code PUT} may replace in future joins the comparison below, or a {@code PUT} that
     * changes only that member would answer {@code 200} and write nothing.
     */
    private Order writeLocationAndIdentity(
            Order stored, String location, IdentityUpdate update, String action, Caller caller) {
        requireOwnTenant(stored.ref(), caller);
        // Refused before an identity is made for the order.
        Order current = stored.relocatedTo(location).orElseThrow();
        OrderIdentity newIdentity = resolveIdentity(stored.name(), stored.identity(), update, caller);
        if (newIdentity.equals(stored.identity()) && java.util.Objects.equals(location, stored.location())) {
            // The order already is as asked: no write, no new ETag, no history row (issue 15, item 6).
            return stored;
        }
        Order written;
        try {
            Order changed = current.managedIdentitiesChangedTo(newIdentity, clock.instant())
                    .orElseThrow();
            written = orders.replace(
                    changed,
                    history(
                            clock.instant(),
                            action,
                            caller.actor(),
                            "Identity " + current.identity().type() + " -> " + newIdentity.type()),
                    ChangeEvents.KEY_HEALTH.of(current, changed));
        } catch (RuntimeException e) {
            deleteIfNew(current.identity(), newIdentity, e);
            throw e;
        }
        try {
            deleteIfDropped(current.identity(), newIdentity);
        } catch (RuntimeException e) {
            // The change is stored: answering an error would say it was not. No order holds the dropped
            // identity now, so the identity sweep deletes it.
            LOG.log(
                    Level.WARNING,
                    "Order " + stored.name() + " dropped its system-assigned identity, which could not be deleted"
                            + " now; the identity sweep will",
                    e);
        }
        return written;
    }

    private OrderIdentity resolveIdentity(OrderName name, OrderIdentity current, IdentityUpdate update, Caller caller) {
        if (update.systemAssigned() && current.systemAssigned() == null) {
            requireRoomForSystemAssigned(caller.tenant());
        }
        // Keyed by the typed ID, which compares in any case: a key the order has keeps the spelling it was given.
        Map<UserAssignedIdentityId, UserAssignedIdentity> userAssigned = new HashMap<>();
        if (update.userAssigned()) {
            userAssigned.putAll(current.userAssigned());
            update.detach().forEach(userAssigned::remove);
            // Counted before any identity is looked up in ARM: 60 identities made 60 calls before the refusal.
            Set<UserAssignedIdentityId> after = new HashSet<>(userAssigned.keySet());
            after.addAll(update.attach());
            // A change that attaches none is never refused: after the operator lowered the limit, an order over it
            // could not detach one at a time (bug bash of 2026-12-06, operator F6).
            boolean attachesOne = update.attach().stream()
                    .anyMatch(id -> current.findUserAssigned(id).isEmpty());
            if (attachesOne && after.size() > settings.userAssignedIdentityLimit()) {
                throw new ServiceException(
                        ErrorCode.SsemUserErrorUserAssignedLimitReached,
                        "An order can have at most " + settings.userAssignedIdentityLimit()
                                + " user-assigned identities; this change would give it " + after.size() + ".",
                        "identity.userAssignedIdentities");
            }
            List<UserAssignedIdentity> added = new ArrayList<>();
            for (UserAssignedIdentityId id : update.attach()) {
                if (!userAssigned.containsKey(id)) {
                    UserAssignedIdentity identity = assignable(id, caller);
                    userAssigned.put(id, identity);
                    added.add(identity);
                }
            }
            if (userAssigned.isEmpty()) {
                throw ServiceException.invalidRequest(
                        "The identity type includes UserAssigned but no user-assigned identity is given.",
                        "identity.userAssignedIdentities");
            }
            // Only once every check passed, and only what is new: an ARM write per identity the order did
            // not have yet, none for those it keeps (issue 15, item 6).
            added.forEach(directory::makeUsable);
        }
        SystemAssignedIdentity system = null;
        if (update.systemAssigned()) {
            system = current.systemAssigned() != null ? current.systemAssigned() : directory.createSystemAssigned(name);
        }
        return new OrderIdentity(system, userAssigned);
    }

    /**
     * Each system-assigned identity is one the service makes in its own subscription and assigns to the function
     * app, whose quotas (directory objects, identities a resource holds) every tenant shares: one tenant's orders
     * may hold at most {@link SystemAssignedLimit#perTenant()} at once, so that no tenant can use them up for the
     * others (bug bash of 2026-12-06, security F1). A finished order's counts for as long as it holds it (the
     * identity sweep deletes it after the retention): counting active orders only, cancelling an order freed its
     * place while its identity lived on, and a loop of create and cancel made identities without end. Checked
     * before anything is made; two requests at once may both pass the last place.
     */
    private void requireRoomForSystemAssigned(TenantId tenant) {
        SystemAssignedLimit limit = settings.systemAssigned();
        int held = orders.countHoldingSystemAssigned(
                tenant, clock.instant(), limit.finishedOrderRetention(), limit.perTenant());
        if (held >= limit.perTenant()) {
            throw new ServiceException(
                    ErrorCode.SystemAssignedIdentityLimitReached,
                    "Your tenant's orders hold as many system-assigned identities as the service makes for one tenant ("
                            + limit.perTenant() + ", a finished order's until the identity sweep deletes it); this"
                            + " request would make one more. Nothing was changed.",
                    "identity.type");
        }
    }

    /**
     * A user-assigned identity the caller may attach (issue 12): the caller's own permission to
     * assign it is asked first, so that nothing tells a caller without it whether it exists; then
     * it must exist, live in the caller's tenant and not be an identity the service made for an
     * order. Every refusal reads the same, so it reveals nothing about the identity.
     */
    private UserAssignedIdentity assignable(UserAssignedIdentityId id, Caller caller) {
        if (!identityUse.mayAssign(caller, id)) {
            throw notAssignable(id);
        }
        UserAssignedIdentity identity = directory
                .findUserAssigned(id)
                .orElseThrow(() -> new ServiceException(
                        ErrorCode.SsemUserErrorKekUserIdentityNotFound,
                        "The user-assigned identity " + id + " does not exist.",
                        "identity.userAssignedIdentities"));
        Outcome<UserAssignedIdentity> rule = Order.attachable(identity, caller.tenant());
        if (!rule.isAllowed()) {
            throw notAssignable(id);
        }
        return identity;
    }

    private static ServiceException notAssignable(UserAssignedIdentityId id) {
        return new ServiceException(
                ErrorCode.LinkedAuthorizationFailed,
                "The caller may not assign the user-assigned "
                        + "identity " + id
                        + " (Microsoft.ManagedIdentity/userAssignedIdentities/assign/action), so it cannot "
                        + "be attached to this order.",
                "identity.userAssignedIdentities");
    }

    /** A caller acts in its own tenant only; the edge sets the reference's tenant from the token. */
    private static void requireOwnTenant(OrderRef ref, Caller caller) {
        if (!ref.tenant().equals(caller.tenant())) {
            throw new IllegalArgumentException("A caller acts only on orders of its own tenant");
        }
    }

    /**
     * Deletes the system-assigned identity made for a write that failed, unless the write may have been
     * stored ({@link UnconfirmedWriteException}): the order may hold it then, and the identity sweep
     * deletes it once no order does.
     */
    private void deleteIfNew(OrderIdentity before, OrderIdentity after, RuntimeException failure) {
        if (!(failure instanceof UnconfirmedWriteException)
                && after.systemAssigned() != null
                && before.systemAssigned() == null) {
            directory.deleteSystemAssigned(after.systemAssigned());
        }
    }

    private void deleteIfDropped(OrderIdentity before, OrderIdentity after) {
        if (before.systemAssigned() != null && after.systemAssigned() == null) {
            directory.deleteSystemAssigned(before.systemAssigned());
        }
    }

    /** {@code If-Match}: absent or {@code *} matches any version; otherwise it must be the order's ETag. */
    public static void requireMatch(Order current, IfMatch ifMatch) {
        if (!current.matches(ifMatch)) {
            throw new StaleOrderException(current.name());
        }
    }

    private static HistoryEntry history(Instant at, String action, String actor, String summary) {
        return new HistoryEntry(at, action, actor, summary);
    }

    private static ServiceException notFound(OrderName name) {
        return new ServiceException(ErrorCode.OrderNotFound, "The order '" + name + "' does not exist.", "orderName");
    }
}
