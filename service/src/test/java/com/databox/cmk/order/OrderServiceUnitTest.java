package com.databox.cmk.order;

import static com.databox.cmk.testing.inmemory.InMemoryStack.ACTOR;
import static com.databox.cmk.testing.inmemory.InMemoryStack.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.testing.inmemory.InMemoryIdentityDirectory;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link OrderService} on in-memory ports: creating orders, their identities and their stages. */
class OrderServiceUnitTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final OrderService service = stack.orderService();

    private static ErrorCode codeOf(Throwable e) {
        return ((ServiceException) e).code();
    }

    @Test
    void createsAnOrderWhoseUnlockKeyTheMicrosoftKeyWraps() {
        Order order = stack.microsoftManagedOrder();
        assertThat(order.protection()).isEqualTo(KeyProtection.MICROSOFT_MANAGED);
        assertThat(order.wrappedUnlockKey().keyUrl().keyId()).isEqualTo(stack.microsoftKeyUrl);
        assertThat(order.keyHealth()).isEqualTo(KeyHealth.UNKNOWN);
        assertThat(order.stage()).isEqualTo(Stage.DeviceOrdered);
        assertThat(stack.revealPassword(order.ref())).hasSize(24);
        assertThat(com.databox.cmk.unlockkey.DevicePasswords.brokenRule(stack.revealPassword(order.ref())))
                .isNull();
    }

    /** Too many identities are refused before any is looked up (60 of them made 60 ARM calls, then another error). */
    @Test
    void tooManyUserAssignedIdentitiesAreRefusedBeforeAnyIsLookedUp() {
        Order order = stack.microsoftManagedOrder();
        Set<UserAssignedIdentityId> unknown = new java.util.HashSet<>();
        for (int i = 0; i < 60; i++) {
            unknown.add(new UserAssignedIdentityId("/subscriptions/" + InMemoryIdentityDirectory.SUBSCRIPTION
                    + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/none-" + i));
        }
        int lookupsBefore = stack.identities.lookups();

        assertThatThrownBy(() -> service.updateIdentity(
                        order.ref(), new IdentityUpdate(false, true, unknown, Set.of()), IfMatch.ABSENT, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorUserAssignedLimitReached));
        assertThat(stack.identities.lookups()).isEqualTo(lookupsBefore);
        assertThat(stack.stored(order.ref()).etag()).isEqualTo(order.etag());
    }

    /**
     * Each system-assigned identity is one the service makes in its own subscription: a tenant's orders hold at
     * most the limit, checked before anything is made; an identity set to None, a finished order past the
     * retention (when the sweep deletes its identity) or another tenant leaves room (bug bash of 2026-12-06,
     * security F1: one tenant made 40 in 3 s, unbounded). A finished order's identity counts until then:
     * counting active orders only, a loop of create and cancel made identities without end, and so did an
     * identity added to a cancelled order (the same day's second bash).
     */
    @Test
    void aTenantsOrdersHoldAtMostTheLimitOfSystemAssignedIdentities() {
        InMemoryStack limited = InMemoryStack.withSystemAssignedLimit(new SystemAssignedLimit(2, Duration.ofDays(30)));
        OrderService orders = limited.orderService();
        NewOrder withSystemAssigned = new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), null);
        Order first = orders.createOrReplace(InMemoryStack.newName(), withSystemAssigned, IfMatch.ABSENT, CALLER);
        Order second = orders.createOrReplace(InMemoryStack.newName(), withSystemAssigned, IfMatch.ABSENT, CALLER);
        Order third = limited.microsoftManagedOrder();
        int identitiesBefore = limited.identities.count();

        OrderRef refused = InMemoryStack.newName();
        assertThatThrownBy(() -> orders.createOrReplace(refused, withSystemAssigned, IfMatch.ABSENT, CALLER))
                .satisfies(e -> {
                    assertThat(codeOf(e)).isEqualTo(ErrorCode.SystemAssignedIdentityLimitReached);
                    assertThat(((ServiceException) e).target()).isEqualTo("identity.type");
                });
        assertThat(limited.orders.find(refused)).isEmpty();
        IdentityUpdate addSystemAssigned = new IdentityUpdate(true, false, Set.of(), Set.of());
        assertThatThrownBy(() -> orders.updateIdentity(third.ref(), addSystemAssigned, IfMatch.ABSENT, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SystemAssignedIdentityLimitReached));
        assertThat(limited.stored(third.ref()).etag()).isEqualTo(third.etag());
        assertThat(limited.identities.count()).isEqualTo(identitiesBefore);
        // An order that keeps its identity is no new one.
        orders.updateIdentity(second.ref(), addSystemAssigned, IfMatch.ABSENT, CALLER);

        // Cancelled, the order holds its identity until the retention ends: no room, for a new order or for
        // the cancelled one itself.
        orders.moveStage(first.ref(), Stage.Cancelled, IfMatch.ABSENT, ACTOR);
        assertThatThrownBy(() -> orders.updateIdentity(third.ref(), addSystemAssigned, IfMatch.ABSENT, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SystemAssignedIdentityLimitReached));
        Order cancelledWithout = orders.updateIdentity(first.ref(), IdentityUpdate.NONE, IfMatch.ABSENT, CALLER);
        orders.updateIdentity(third.ref(), addSystemAssigned, IfMatch.ABSENT, CALLER);
        assertThatThrownBy(
                        () -> orders.updateIdentity(cancelledWithout.ref(), addSystemAssigned, IfMatch.ABSENT, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SystemAssignedIdentityLimitReached));
        // Past the retention, a finished order's identity no longer counts.
        orders.moveStage(third.ref(), Stage.Cancelled, IfMatch.ABSENT, ACTOR);
        limited.advance(Duration.ofDays(31));
        orders.updateIdentity(second.ref(), IdentityUpdate.NONE, IfMatch.ABSENT, CALLER);
        orders.createOrReplace(refused, withSystemAssigned, IfMatch.ABSENT, CALLER);
        TenantId other = new TenantId("33333333-3333-3333-3333-333333333333");
        Caller otherCaller = new Caller(other, InMemoryStack.CALLER_OID, ACTOR);
        for (int i = 0; i < 2; i++) {
            orders.createOrReplace(
                    new OrderRef(other, new OrderName("other-" + i)), withSystemAssigned, IfMatch.ABSENT, otherCaller);
        }
    }

    /** {@code If-Match: *} asks only that the order exist: a write of another request meanwhile is no 412. */
    @Test
    void aChangeWithIfMatchStarIsMadeAgainOnTheNewerVersionWhenAnotherWriteWins() {
        Order order = stack.microsoftManagedOrder();
        InMemoryStack.CustomerKey key = stack.customerKey();
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        stack.identities.beforeLookup(() -> {
            if (raced.compareAndSet(false, true)) {
                stack.orders.put(stack.stored(order.ref()));
            }
        });
        IdentityUpdate attach = new IdentityUpdate(false, true, Set.of(key.identityId()), Set.of());

        Order replaced =
                service.createOrReplace(order.ref(), new NewOrder("westus", attach, null), IfMatch.of("*"), CALLER);

        assertThat(raced).isTrue();
        assertThat(replaced.identity().findUserAssigned(key.identityId())).isPresent();
        assertThatThrownBy(() -> service.createOrReplace(
                        InMemoryStack.newName(), new NewOrder("westus", attach, null), IfMatch.of("*"), CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.PreconditionFailed));
        assertThatThrownBy(() -> LostRaces.retried(IfMatch.of("W/\"1\""), order.name(), () -> {
                    throw new StaleOrderException(order.name());
                }))
                .isInstanceOf(StaleOrderException.class);
    }

    /**
     * listCredentials asks the directory whether the key's identity still exists beside the unwrap, not before it:
     * in series, a Resource Manager that did not answer spent the request's deadline, which the unwrap shares, and
     * a healthy vault's unwrap answered 503 (review of 2026-12-06, F1).
     */
    @Test
    void listCredentialsAsksTheDirectoryBesideTheUnwrap() throws InterruptedException {
        InMemoryStack.CustomerKey key = stack.customerKey();
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String password = stack.revealPassword(order.ref());
        int before = stack.keyVault.calls();
        java.util.concurrent.atomic.AtomicBoolean vaultCalledWhileAsked =
                new java.util.concurrent.atomic.AtomicBoolean();
        stack.identities.beforeLookup(() -> {
            long until = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
            while (stack.keyVault.calls() == before && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            vaultCalledWhileAsked.set(stack.keyVault.calls() > before);
        });

        byte[] unlockKey = service.revealUnlockKey(order.ref());

        assertThat(vaultCalledWhileAsked).isTrue();
        assertThat(new String(unlockKey, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(password);
        stack.identities.delete(key.identityId().value());
        assertThatThrownBy(() -> service.revealUnlockKey(order.ref()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound));
    }

    @Test
    void writesOneHistoryEntryThatNamesTheWrappingKeyOnly() {
        Order order = stack.microsoftManagedOrder();
        assertThat(stack.orders.history(order.ref())).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("create");
            assertThat(entry.summary())
                    .isEqualTo("Order created; device unlock key wrapped by " + stack.microsoftKeyUrl);
        });
    }

    @Test
    void refusesToCreateAnOrderThatExists() {
        Order order = stack.microsoftManagedOrder();
        assertThatThrownBy(() -> service.createOrReplace(
                        order.ref(), new NewOrder("westus", null, null), IfMatch.ABSENT, CALLER))
                .isInstanceOf(OrderConflictException.class);
    }

    @Test
    void replacesTheLocationWithIfMatchAndKeepsTheUnlockKey() {
        Order order = stack.microsoftManagedOrder();
        String password = stack.revealPassword(order.ref());
        Order replaced = service.createOrReplace(
                order.ref(), new NewOrder("eastus", null, null), IfMatch.of(order.etag()), CALLER);
        assertThat(replaced.location()).isEqualTo("eastus");
        assertThat(replaced.etag()).isNotEqualTo(order.etag());
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
    }

    @Test
    void refusesToMoveACustomerManagedOrderToAnotherCloudBeforeMakingAnIdentity() {
        InMemoryStack.CustomerKey key = stack.customerKey();
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        int identities = stack.identities.count();
        // Keeps the user-assigned identity the key is reached through and asks for a system-assigned one too.
        IdentityUpdate both = new IdentityUpdate(true, true, Set.of(), Set.of());

        assertThatThrownBy(() -> service.createOrReplace(
                        order.ref(), new NewOrder("chinaeast2", both, null), IfMatch.of(order.etag()), CALLER))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest);
                    assertThat(e.target()).isEqualTo("location");
                });
        assertThat(stack.identities.count()).as("no identity made").isEqualTo(identities);
        assertThat(stack.stored(order.ref())).isEqualTo(order);

        Order moved = service.createOrReplace(
                order.ref(),
                new NewOrder("eastus", new IdentityUpdate(false, true, Set.of(), Set.of()), null),
                IfMatch.of(order.etag()),
                CALLER);
        assertThat(moved.location()).as("another region of the same cloud").isEqualTo("eastus");
    }

    @Test
    void refusesAReplaceWithAStaleIfMatch() {
        Order order = stack.microsoftManagedOrder();
        service.moveStage(order.ref(), Stage.DevicePrepared, IfMatch.ABSENT, ACTOR);
        assertThatThrownBy(() -> service.createOrReplace(
                        order.ref(), new NewOrder("eastus", null, null), IfMatch.of(order.etag()), CALLER))
                .isInstanceOf(StaleOrderException.class);
    }

    @Test
    void createsASystemAssignedIdentityInTheDirectory() {
        Order order = service.createOrReplace(
                InMemoryStack.newName(),
                new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), null),
                IfMatch.ABSENT,
                CALLER);
        assertThat(order.identity().type()).isEqualTo("SystemAssigned");
        assertThat(stack.identities.exists(order.identity().systemAssigned().resourceId()))
                .isTrue();
    }

    @Test
    void goingToNoIdentityDeletesTheSystemAssignedOne() {
        Order order = service.createOrReplace(
                InMemoryStack.newName(),
                new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), null),
                IfMatch.ABSENT,
                CALLER);
        Order none = service.updateIdentity(order.ref(), IdentityUpdate.NONE, IfMatch.ABSENT, CALLER);
        assertThat(none.identity().type()).isEqualTo("None");
        assertThat(stack.identities.exists(order.identity().systemAssigned().resourceId()))
                .isFalse();
    }

    @Test
    void droppingTheSystemAssignedIdentityWhileResourceManagerIsDownIsStoredAndAnsweredAsDone() {
        Order order = service.createOrReplace(
                InMemoryStack.newName(),
                new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), null),
                IfMatch.ABSENT,
                CALLER);
        stack.identities.unavailable(true);

        Order none = service.updateIdentity(order.ref(), IdentityUpdate.NONE, IfMatch.ABSENT, CALLER);

        assertThat(none.identity().type()).isEqualTo("None");
        assertThat(stack.stored(order.ref())).isEqualTo(none);
        // Not deleted now: no order holds it, so the identity sweep deletes it.
        assertThat(stack.identities.exists(order.identity().systemAssigned().resourceId()))
                .isTrue();
    }

    @Test
    void attachingAUserAssignedIdentityMakesItUsableByTheService() {
        InMemoryStack.CustomerKey key = stack.customerKey();
        Order order = stack.orderWithIdentityOf(key);
        assertThat(order.identity().type()).isEqualTo("UserAssigned");
        assertThat(stack.identities.isUsable(key.identity().resourceId())).isTrue();
    }

    @Test
    void refusesToAttachAnIdentityTheDirectoryDoesNotHave() {
        UserAssignedIdentityId unknown = new UserAssignedIdentityId("/subscriptions/"
                + "00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
                + "Microsoft.ManagedIdentity/userAssignedIdentities/missing");
        assertThatThrownBy(() -> service.createOrReplace(
                        InMemoryStack.newName(),
                        new NewOrder("westus", new IdentityUpdate(false, true, Set.of(unknown), Set.of()), null),
                        IfMatch.ABSENT,
                        CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound));
    }

    @Test
    void refusesUserAssignedTypeWithoutAnyIdentity() {
        assertThatThrownBy(() -> service.createOrReplace(
                        InMemoryStack.newName(),
                        new NewOrder("westus", new IdentityUpdate(false, true, Set.of(), Set.of()), null),
                        IfMatch.ABSENT,
                        CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.InvalidRequest));
    }

    /**
     * After the operator lowered the limit below what an order holds, a change that attaches none is taken: a
     * PATCH detaching one identity was refused as over the limit (bug bash of 2026-12-06, operator F6). One that
     * attaches another is still refused.
     */
    @Test
    void anOrderOverALoweredLimitDetachesItsIdentitiesOneAtATime() {
        Set<UserAssignedIdentityId> three = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            three.add(stack.identities.createUserAssigned("held-" + i).resourceId());
        }
        Order order = service.createOrReplace(
                InMemoryStack.newName(),
                new NewOrder("westus", new IdentityUpdate(false, true, three, Set.of()), null),
                IfMatch.ABSENT,
                CALLER);
        OrderService lowered = stack.servicesWithUserAssignedLimit(1).orders();
        UserAssignedIdentityId first = three.iterator().next();
        UserAssignedIdentityId another = new UserAssignedIdentityId(
                stack.identities.createUserAssigned("another").resourceId().value());

        assertThatThrownBy(() -> lowered.updateIdentity(
                        order.ref(),
                        new IdentityUpdate(false, true, Set.of(another), Set.of(first)),
                        IfMatch.ABSENT,
                        CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorUserAssignedLimitReached));
        Order detached = lowered.updateIdentity(
                order.ref(), new IdentityUpdate(false, true, Set.of(), Set.of(first)), IfMatch.ABSENT, CALLER);

        assertThat(detached.identity().userAssigned()).hasSize(2);
        assertThat(detached.identity().findUserAssigned(first)).isEmpty();
    }

    /**
     * Mutation testing (mt1): the limit is "at most": an order may hold exactly the limit of user-assigned
     * identities (a {@code >=} in place of {@code >} refused the last one and no test noticed).
     */
    @Test
    void anOrderMayHoldExactlyTheLimitOfUserAssignedIdentities() {
        OrderService limitedToTwo = stack.servicesWithUserAssignedLimit(2).orders();
        Set<UserAssignedIdentityId> two = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            two.add(stack.identities.createUserAssigned("exact-" + i).resourceId());
        }

        Order order = limitedToTwo.createOrReplace(
                InMemoryStack.newName(),
                new NewOrder("westus", new IdentityUpdate(false, true, two, Set.of()), null),
                IfMatch.ABSENT,
                CALLER);

        assertThat(order.identity().userAssigned()).hasSize(2);
    }

    /**
     * Mutation testing (mt1): after the operator lowered the limit, a change that names identities the order
     * already holds attaches none (a PUT lists the identities it keeps), so it is not refused: the check of
     * "attaches one" replaced by {@code true} refused it, and no test noticed.
     */
    @Test
    void anOrderOverALoweredLimitKeepsTheIdentitiesItNamesAgain() {
        java.util.List<UserAssignedIdentityId> three = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(stack.identities.createUserAssigned("kept-" + i).resourceId());
        }
        Order order = service.createOrReplace(
                InMemoryStack.newName(),
                new NewOrder("westus", new IdentityUpdate(false, true, Set.copyOf(three), Set.of()), null),
                IfMatch.ABSENT,
                CALLER);
        OrderService lowered = stack.servicesWithUserAssignedLimit(1).orders();

        Order kept = lowered.updateIdentity(
                order.ref(),
                new IdentityUpdate(false, true, Set.of(three.get(1), three.get(2)), Set.of(three.get(0))),
                IfMatch.ABSENT,
                CALLER);

        assertThat(kept.identity().userAssigned()).hasSize(2);
        assertThat(kept.identity().findUserAssigned(three.get(0))).isEmpty();
    }

    /**
     * Mutation testing (mt1): the service itself refuses a customer password that breaks the rules (its bytes are
     * the ASCII of its characters); only the API layer's check was tested, so removing this one went unnoticed.
     */
    @Test
    void refusesACustomerPasswordThatBreaksTheRulesBeforeCreatingAnything() {
        OrderRef ref = InMemoryStack.newName();
        int identitiesBefore = stack.identities.count();

        assertThatThrownBy(() -> service.createOrReplace(
                        ref,
                        new NewOrder(
                                "westus",
                                new IdentityUpdate(true, false, Set.of(), Set.of()),
                                null,
                                "Sécure#Pa55w4rd".toCharArray()),
                        IfMatch.ABSENT,
                        CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.InvalidRequest));
        assertThat(stack.orders.find(ref)).isEmpty();
        assertThat(stack.identities.count()).isEqualTo(identitiesBefore);
    }

    @Test
    void refusesMoreUserAssignedIdentitiesThanTheLimit() {
        java.util.Set<UserAssignedIdentityId> many = new java.util.HashSet<>();
        for (int i = 0; i < 21; i++) {
            many.add(stack.identities.createUserAssigned("many-" + i).resourceId());
        }
        assertThatThrownBy(() -> service.createOrReplace(
                        InMemoryStack.newName(),
                        new NewOrder("westus", new IdentityUpdate(false, true, many, Set.of()), null),
                        IfMatch.ABSENT,
                        CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorUserAssignedLimitReached));
    }

    @Test
    void aFailedCreateDeletesTheSystemAssignedIdentityItMade() {
        stack.keyVault.goDown();
        int identities = stack.identities.count();
        OrderRef name = InMemoryStack.newName();
        assertThatThrownBy(() -> service.createOrReplace(
                        name,
                        new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), null),
                        IfMatch.ABSENT,
                        CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.KeyVaultUnavailable));
        assertThat(stack.orders.find(name)).isEmpty();
        assertThat(stack.identities.count()).isEqualTo(identities);
    }

    @Test
    void movesTheStageForwardAndRecordsIt() {
        Order order = stack.microsoftManagedOrder();
        Order moved = service.moveStage(order.ref(), Stage.Dispatched, IfMatch.of(order.etag()), ACTOR);
        assertThat(moved.stage()).isEqualTo(Stage.Dispatched);
        assertThat(stack.orders.history(order.ref()).getLast().summary())
                .isEqualTo("Stage DeviceOrdered -> Dispatched");
    }

    @Test
    void refusesToMoveTheStageBackwards() {
        Order order = stack.microsoftManagedOrder();
        service.moveStage(order.ref(), Stage.Delivered, IfMatch.ABSENT, ACTOR);
        assertThatThrownBy(() -> service.moveStage(order.ref(), Stage.Dispatched, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.InvalidStageTransition));
    }

    @Test
    void enteringDataCopyFailsAndChangesNothingWhenTheKeyCannotUnwrap() {
        InMemoryStack.CustomerKey key = stack.customerKey();
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), InMemoryKeyVault.Permission.UnwrapKey);
        assertThatThrownBy(() -> service.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException));
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void enteringDataCopyProvesTheKeyUnwraps() {
        Order order = stack.microsoftManagedOrder();
        int before = stack.keyVault.calls();
        service.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR);
        assertThat(stack.keyVault.calls()).isEqualTo(before + 1);
    }

    @Test
    void refusesToDetachTheIdentityTheKeyIsReachedThrough() {
        InMemoryStack.CustomerKey key = stack.customerKey();
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        assertThatThrownBy(() -> service.updateIdentity(
                        order.ref(), new IdentityUpdate(true, false, Set.of(), Set.of()), IfMatch.ABSENT, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorUserAssignedIdentityAbsent));
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void aRefusedIdentityChangeDeletesTheSystemAssignedIdentityItMade() {
        InMemoryStack.CustomerKey key = stack.customerKey();
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        int identities = stack.identities.count();
        assertThatThrownBy(() -> service.updateIdentity(
                        order.ref(), new IdentityUpdate(true, false, Set.of(), Set.of()), IfMatch.ABSENT, CALLER))
                .isInstanceOf(ServiceException.class);
        assertThat(stack.identities.count()).isEqualTo(identities);
        assertThat(stack.stored(order.ref()).identity().systemAssigned()).isNull();
    }

    @Test
    void revealsTheUnlockKeyWithTheIdentityThatReachesTheKey() {
        InMemoryStack.CustomerKey key = stack.customerKey();
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.revoke(
                stack.microsoftKeyUrl.substring(0, stack.microsoftKeyUrl.indexOf("/keys/")),
                WrappingIdentity.SERVICE,
                InMemoryKeyVault.Permission.UnwrapKey);
        assertThat(stack.revealPassword(order.ref())).hasSize(24);
    }

    @Test
    void readingAMissingOrderIsOrderNotFound() {
        assertThatThrownBy(() -> service.get(new OrderRef(InMemoryStack.TENANT, new OrderName("no-such-order"))))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.OrderNotFound));
    }
}
