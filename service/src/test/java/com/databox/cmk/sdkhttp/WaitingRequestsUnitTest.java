package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.sdkhttp.WaitingRequests.Bound;
import com.databox.cmk.sdkhttp.WaitingRequests.Refusal;
import com.databox.cmk.sdkhttp.WaitingRequests.Waiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on requests waiting on a dependency, shared out (bug bash nn1 F1): a party's calls hold at most a
 * quarter of it, the callers' together at most three quarters, the rest is the service's own.
 */
class WaitingRequestsUnitTest {
    private final CountDownLatch answer = new CountDownLatch(1);
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final List<Future<?>> held = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        answer.countDown();
        for (Future<?> call : held) {
            call.get(5, TimeUnit.SECONDS);
        }
        workers.shutdownNow();
    }

    private static Waiter<String> of(String tenant) {
        return new Waiter.Caller<>(Optional.of(tenant));
    }

    private static final Waiter<String> UNKNOWN = new Waiter.Caller<>(Optional.empty());
    private static final Waiter<String> OWN = new Waiter.Own<>();

    /** A call made on a worker thread of its own, waiting until the test lets the dependency answer. */
    private void hold(WaitingRequests waiting, Waiter<String> waiter, int calls) throws InterruptedException {
        hold(waiting, waiter, calls, answer);
    }

    private void hold(WaitingRequests waiting, Waiter<String> waiter, int calls, CountDownLatch answer)
            throws InterruptedException {
        CountDownLatch made = new CountDownLatch(calls);
        for (int i = 0; i < calls; i++) {
            held.add(workers.submit(() -> waiting.call(
                    waiter,
                    () -> {
                        made.countDown();
                        try {
                            return answer.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    Refused::new)));
        }
        assertThat(made.await(5, TimeUnit.SECONDS))
                .as("every held call was made")
                .isTrue();
    }

    private static final class Refused extends RuntimeException {
        final Refusal refusal;

        Refused(Refusal refusal) {
            this.refusal = refusal;
        }
    }

    /** The refusal of a call for {@code waiter} now, or null when the call was made. */
    private static Refusal refusalOf(WaitingRequests waiting, Waiter<String> waiter) {
        try {
            waiting.call(waiter, () -> "answered", Refused::new);
            return null;
        } catch (Refused refused) {
            return refused.refusal;
        }
    }

    @Test
    void aTenantsCallsHoldAQuarterOfTheBoundOnceTheInstanceIsBusyAndAnotherTenantsCallIsStillMade() throws Exception {
        WaitingRequests waiting = WaitingRequests.ofWorkers(8);
        hold(waiting, of("a"), 2);
        hold(waiting, of("b"), 1);

        assertThat(refusalOf(waiting, of("a"))).isEqualTo(new Refusal(Bound.PARTY, 2));
        assertThat(refusalOf(waiting, of("b"))).as("made").isNull();
        assertThat(refusalOf(waiting, UNKNOWN))
                .as("no tenant known: no tenant's share")
                .isNull();
    }

    /**
     * A tenant's burst on a quiet instance (twenty changes at once on a healthy vault) is not refused: its share holds
     * once the callers' calls fill half their share (3 of 6 here), not before.
     */
    @Test
    void aTenantMayHoldMoreThanItsShareWhileTheInstanceIsQuiet() throws Exception {
        WaitingRequests waiting = WaitingRequests.ofWorkers(8);
        hold(waiting, of("a"), 3);

        assertThat(refusalOf(waiting, of("a"))).isEqualTo(new Refusal(Bound.PARTY, 2));
        assertThat(refusalOf(waiting, of("b"))).as("made").isNull();
    }

    @Test
    void theCallersTogetherLeaveAQuarterOfTheBoundToTheServicesOwnCalls() throws Exception {
        WaitingRequests waiting = WaitingRequests.ofWorkers(8);
        hold(waiting, of("a"), 2);
        hold(waiting, of("b"), 2);
        hold(waiting, of("c"), 2);

        assertThat(refusalOf(waiting, of("d"))).isEqualTo(new Refusal(Bound.CALLERS, 6));
        assertThat(refusalOf(waiting, UNKNOWN)).isEqualTo(new Refusal(Bound.CALLERS, 6));
        assertThat(refusalOf(waiting, OWN)).as("the service's own call is made").isNull();

        hold(waiting, OWN, 2);
        assertThat(refusalOf(waiting, OWN))
                .as("the service's own calls count in the instance's bound")
                .isEqualTo(new Refusal(Bound.INSTANCE, 8));
    }

    @Test
    void theServicesOwnCallsMayTakeTheWholeBoundAndThenRefuseTheCallers() throws Exception {
        WaitingRequests waiting = WaitingRequests.ofWorkers(8);
        hold(waiting, OWN, 8);

        assertThat(refusalOf(waiting, of("a"))).isEqualTo(new Refusal(Bound.INSTANCE, 8));
        assertThat(waiting.partiesWaiting())
                .as("the refused call's tenant is not kept")
                .isZero();
    }

    @Test
    void aTenantIsForgottenOnceItsCallsEndSoTheCountsDoNotGrow() throws Exception {
        WaitingRequests waiting = WaitingRequests.ofWorkers(8);
        hold(waiting, of("a"), 2);
        hold(waiting, of("b"), 1);
        assertThat(waiting.partiesWaiting()).isEqualTo(2);

        answer.countDown();
        for (Future<?> call : held) {
            call.get(5, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(refusalOf(waiting, of("tenant-" + i))).isNull();
        }
        assertThatThrownBy(() -> waiting.call(
                        of("failing"),
                        () -> {
                            throw new IllegalStateException("the call failed");
                        },
                        Refused::new))
                .hasMessage("the call failed");

        assertThat(waiting.partiesWaiting()).isZero();

        // Every permit was given back: the whole callers' share can wait again, and no more.
        CountDownLatch later = new CountDownLatch(1);
        try {
            hold(waiting, of("a"), 2, later);
            hold(waiting, of("b"), 2, later);
            hold(waiting, of("c"), 2, later);
            assertThat(refusalOf(waiting, of("d"))).isEqualTo(new Refusal(Bound.CALLERS, 6));
        } finally {
            later.countDown();
        }
    }

    @Test
    void theInstancesBoundAloneForTheCallsThatNameNoWaiter() throws Exception {
        WaitingRequests waiting = WaitingRequests.ofAllThreads(4);
        CountDownLatch made = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            held.add(workers.submit(() -> waiting.call(
                    () -> {
                        made.countDown();
                        try {
                            return answer.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    () -> new IllegalStateException("refused"))));
        }
        assertThat(made.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> waiting.call(() -> "answered", () -> new IllegalStateException("refused")))
                .hasMessage("refused");
    }

    @Test
    void aVirtualThreadsCallIsNotCountedByTheWorkersBound() throws Exception {
        WaitingRequests waiting = WaitingRequests.ofWorkers(4);
        hold(waiting, of("a"), 1);
        List<Refusal> refusals = new ArrayList<>();
        Thread.ofVirtual()
                .start(() -> refusals.add(refusalOf(waiting, of("a"))))
                .join(5000);

        assertThat(refusals).containsExactly((Refusal) null);
    }

    @Test
    void theSharesOfSmallAndDefaultBounds() {
        assertThat(shares(WaitingRequests.ofWorkers(64))).containsExactly(64, 48, 16);
        assertThat(shares(WaitingRequests.ofWorkers(8))).containsExactly(8, 6, 2);
        assertThat(shares(WaitingRequests.ofWorkers(3))).containsExactly(3, 3, 1);
        assertThat(shares(WaitingRequests.ofWorkers(1))).containsExactly(1, 1, 1);
    }

    private static List<Integer> shares(WaitingRequests waiting) {
        return List.of(waiting.limit(), waiting.callersShare(), waiting.partyShare());
    }
}
