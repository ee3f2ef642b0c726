package com.databox.cmk.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.Stage;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link IdentitySweep} and {@link RegisteringDirectory} on the in-memory ports, through the order service. */
class IdentitySweepUnitTest {
    private static final Duration SETTLE = Duration.ofMinutes(15);
    private static final Duration RETENTION = Duration.ofDays(30);

    private final InMemoryStack stack = new InMemoryStack();
    private final IdentitySweep sweep = stack.identitySweep(new SweepSettings(SETTLE, RETENTION, 100));

    @Test
    void anAttachedIdentityIsRegisteredBeforeItIsAssigned() {
        CustomerKey key = stack.customerKey();
        stack.orderWithIdentityOf(key);
        assertThat(stack.identityRegistry.find(key.identityId()))
                .hasValueSatisfying(r -> assertThat(r.origin()).isEqualTo(RegisteredIdentity.Origin.CUSTOMER));
        assertThat(stack.identities.isUsable(key.identity().resourceId())).isTrue();
    }

    @Test
    void anIdentityNoOrderHoldsIsUnassignedOnceSettledAndOneStillHeldStays() {
        CustomerKey detached = stack.customerKey();
        CustomerKey kept = stack.customerKey();
        Order order = stack.orderWithIdentityOf(detached);
        stack.orderWithIdentityOf(kept);
        stack.orderService()
                .updateIdentity(
                        order.ref(),
                        new IdentityUpdate(false, true, Set.of(kept.identityId()), Set.of(detached.identityId())),
                        IfMatch.ABSENT,
                        InMemoryStack.CALLER);

        SweepReport early = sweep.sweep();
        assertThat(early.settling()).isEqualTo(1);
        assertThat(stack.identities.isUsable(detached.identity().resourceId()))
                .as("registered within the settle time: an attach may still be in flight")
                .isTrue();

        stack.advance(SETTLE.plusSeconds(1));
        SweepReport settled = sweep.sweep();

        assertThat(settled.unassigned()).isEqualTo(1);
        assertThat(stack.identities.isUsable(detached.identity().resourceId())).isFalse();
        assertThat(stack.identities.isUsable(kept.identity().resourceId())).isTrue();
        assertThat(stack.identities.exists(detached.identity().resourceId()))
                .as("a customer's identity is never deleted")
                .isTrue();
        assertThat(stack.identityRegistry.find(detached.identityId())).isEmpty();
    }

    @Test
    void aHeldIdentityFoundUnassignedIsAssignedAgain() {
        CustomerKey key = stack.customerKey();
        stack.orderWithIdentityOf(key);
        stack.identities.unassign(key.identityId());

        SweepReport report = sweep.sweep();

        assertThat(report.reassigned()).isEqualTo(1);
        assertThat(stack.identities.isUsable(key.identity().resourceId())).isTrue();
    }

    @Test
    void aHeldIdentityItsOwnerDeletedIsReportedAndTheSweepGoesOn() {
        CustomerKey deleted = stack.customerKey();
        CustomerKey drifted = stack.customerKey();
        stack.orderWithIdentityOf(deleted);
        stack.orderWithIdentityOf(drifted);
        stack.identities.unassign(deleted.identityId());
        stack.identities.delete(deleted.identity().resourceId());
        stack.identities.unassign(drifted.identityId());

        SweepReport report = sweep.sweep();

        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.reassigned()).isEqualTo(1);
        assertThat(stack.identities.isUsable(drifted.identity().resourceId())).isTrue();
    }

    @Test
    void anAttachThatRenewsTheRegistrationMeanwhileKeepsItsIdentityAssigned() {
        CustomerKey key = stack.customerKey();
        stack.identityRegistry.register(key.identityId(), RegisteredIdentity.Origin.CUSTOMER, stack.clock.instant());
        stack.identities.assign(key.identityId());
        stack.advance(SETTLE.plusSeconds(1));
        // The registry answers the registration the sweep read, then an attach renews it before it is forgotten.
        IdentityRegistry racing = forgetting(registration -> {
            stack.identityRegistry.register(
                    registration.id(), RegisteredIdentity.Origin.CUSTOMER, stack.clock.instant());
            return stack.identityRegistry.forget(registration);
        });
        IdentitySweep sweepDuringAttach = new IdentitySweep(
                stack.orders, racing, stack.identities, new SweepSettings(SETTLE, RETENTION, 100), stack.clock);

        SweepReport report = sweepDuringAttach.sweep();

        assertThat(report.unassigned()).isZero();
        assertThat(stack.identities.isUsable(key.identity().resourceId())).isTrue();
        assertThat(stack.identityRegistry.find(key.identityId())).isPresent();
    }

    /** Storage fails to forget after the un-assign: whether an attach renewed it meanwhile is unknown, so it stays assigned. */
    @Test
    void anIdentityWhoseRegistrationCouldNotBeForgottenIsAssignedAgain() {
        CustomerKey key = stack.customerKey();
        stack.identityRegistry.register(key.identityId(), RegisteredIdentity.Origin.CUSTOMER, stack.clock.instant());
        stack.identities.assign(key.identityId());
        stack.advance(SETTLE.plusSeconds(1));
        IdentityRegistry storageDown = forgetting(registration -> {
            throw new IllegalStateException("Table Storage did not answer");
        });
        IdentitySweep sweep = new IdentitySweep(
                stack.orders, storageDown, stack.identities, new SweepSettings(SETTLE, RETENTION, 100), stack.clock);

        SweepReport report = sweep.sweep();

        assertThat(report.unassigned()).isZero();
        assertThat(report.failed()).isEqualTo(1);
        assertThat(stack.identities.isUsable(key.identity().resourceId())).isTrue();
        assertThat(stack.identityRegistry.find(key.identityId())).isPresent();
    }

    @Test
    void theIdentityTheServiceMadeForAFinishedOrderIsDeletedAfterTheRetention() {
        Order order = orderWithSystemAssignedIdentity();
        String backing = order.identity().systemAssigned().resourceId().value();
        stack.orderService().moveStage(order.ref(), Stage.Cancelled, IfMatch.ABSENT, InMemoryStack.ACTOR);
        stack.advance(SETTLE.plusSeconds(1));

        assertThat(sweep.sweep().deleted())
                .as("finished, but within the retention")
                .isZero();
        assertThat(stack.identities.exists(backing)).isTrue();

        stack.advance(RETENTION);
        SweepReport report = sweep.sweep();

        assertThat(report.deleted()).isEqualTo(1);
        assertThat(stack.identities.exists(backing)).isFalse();
        assertThat(stack.identities.isUsable(backing)).isFalse();
        assertThat(stack.identityRegistry.find(new UserAssignedIdentityId(backing)))
                .isEmpty();
    }

    @Test
    void anIdentityMadeForAnOrderWhoseAnswerWasLostIsDeletedOnceSettled() {
        stack.identities.loseCreateAnswers(true);
        assertThatThrownBy(this::orderWithSystemAssignedIdentity)
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable));
        stack.identities.loseCreateAnswers(false);
        List<RegisteredIdentity> registered = new ArrayList<>();
        stack.identityRegistry.all().forEach(registered::add);
        assertThat(registered)
                .as("registered before it was made: ARM made it, but its answer never came")
                .singleElement()
                .satisfies(r -> assertThat(r.origin()).isEqualTo(RegisteredIdentity.Origin.SERVICE_CREATED));
        String orphan = registered.getFirst().id().value();
        assertThat(stack.identities.exists(orphan)).isTrue();

        stack.advance(SETTLE.plusSeconds(1));
        SweepReport report = sweep.sweep();

        assertThat(report.deleted()).isEqualTo(1);
        assertThat(stack.identities.exists(orphan)).isFalse();
        assertThat(stack.identityRegistry.find(new UserAssignedIdentityId(orphan)))
                .isEmpty();
    }

    @Test
    void anActiveOrdersSystemAssignedIdentityIsKept() {
        Order order = orderWithSystemAssignedIdentity();
        stack.advance(RETENTION.plus(SETTLE));

        SweepReport report = sweep.sweep();

        assertThat(report.deleted()).isZero();
        assertThat(stack.identities.exists(order.identity().systemAssigned().resourceId()))
                .isTrue();
    }

    @Test
    void eachRunChangesAtMostItsLimit() {
        for (int i = 0; i < 3; i++) {
            CustomerKey key = stack.customerKey();
            stack.identityRegistry.register(
                    key.identityId(), RegisteredIdentity.Origin.CUSTOMER, stack.clock.instant());
            stack.identities.assign(key.identityId());
        }
        stack.advance(SETTLE.plusSeconds(1));
        IdentitySweep limited = stack.identitySweep(new SweepSettings(SETTLE, RETENTION, 2));

        assertThat(limited.sweep().unassigned()).isEqualTo(2);
        assertThat(limited.sweep().unassigned()).isEqualTo(1);
    }

    private Order orderWithSystemAssignedIdentity() {
        return stack.orderService()
                .createOrReplace(
                        InMemoryStack.newName(),
                        new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), null),
                        IfMatch.ABSENT,
                        InMemoryStack.CALLER);
    }

    /** The stack's registry, forgetting as {@code forget} does. */
    private IdentityRegistry forgetting(java.util.function.Predicate<RegisteredIdentity> forget) {
        return new IdentityRegistry() {
            @Override
            public void register(UserAssignedIdentityId id, RegisteredIdentity.Origin origin, java.time.Instant at) {
                stack.identityRegistry.register(id, origin, at);
            }

            @Override
            public Iterable<RegisteredIdentity> all() {
                return stack.identityRegistry.all();
            }

            @Override
            public boolean forget(RegisteredIdentity registration) {
                return forget.test(registration);
            }
        };
    }
}
