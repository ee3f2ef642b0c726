package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.outbox.RelayingOrders;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link HealthRecorder}: findings, key health and events for one order. */
class HealthRecorderUnitTest {
    private final InMemoryStack stack =
            new InMemoryStack(new AuditSettings(2, 4, Duration.ofMillis(200), Duration.ofHours(1)));
    private final CustomerKey key = stack.customerKey();

    private final HealthRecorder recorder =
            new HealthRecorder(new RelayingOrders(stack.orders, stack.relay()), stack.auditRuns, stack.clock);
    private final String runId = "run-1";

    HealthRecorderUnitTest() {
        stack.auditRuns.start(runId, stack.clock.instant(), "test", null);
    }

    private Order unknownHealth() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        return stack.orders.put(order.withKeyHealth(KeyHealth.UNKNOWN));
    }

    @Test
    void recordsTheFirstHealthyVerdictWithoutAnEvent() {
        Order order = unknownHealth();
        assertThat(recorder.record(runId, order.keyState(), PairCheck.HEALTHY)).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.stored(order.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.events.published()).isEmpty();
    }

    @Test
    void losingAccessIsAFindingAHealthChangeAndAnEvent() {
        Order order = unknownHealth();
        PairCheck lost = new PairCheck(ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled");
        assertThat(recorder.record(runId, order.keyState(), lost)).isEqualTo(KeyHealth.Status.AccessLost);
        KeyHealth health = stack.stored(order.ref()).keyHealth();
        assertThat(health.errorCode()).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled);
        assertThat(stack.events.summary()).containsExactly("KeyAccessLost " + order.name());
        assertThat(stack.auditRuns.report(runId).orElseThrow().findings())
                .singleElement()
                .satisfies(f -> assertThat(f.resolution())
                        .isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled.resolution()));
    }

    @Test
    void aFindingTellsTheChecksOwnAdviceWhenItIsMorePreciseThanItsCodes() {
        Order order = unknownHealth();
        PairCheck keyOps = new PairCheck(
                ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                "wrapKey is not in the key version's key_ops",
                stack.clock.instant(),
                "Allow wrapKey in the key version's key_ops.");

        recorder.record(runId, order.keyState(), keyOps);

        assertThat(stack.auditRuns.report(runId).orElseThrow().findings())
                .singleElement()
                .satisfies(f -> assertThat(f.resolution()).isEqualTo("Allow wrapKey in the key version's key_ops."));
    }

    @Test
    void theSameVerdictAgainWritesNothingAndTellsNoOne() {
        Order order = unknownHealth();
        PairCheck lost = new PairCheck(ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled");
        recorder.record(runId, order.keyState(), lost);
        Order afterFirst = stack.stored(order.ref());
        recorder.record(runId, afterFirst.keyState(), lost);
        assertThat(stack.stored(order.ref()).etag()).isEqualTo(afterFirst.etag());
        assertThat(stack.events.published()).hasSize(1);
    }

    @Test
    void regainingAccessIsAnEvent() {
        Order order = unknownHealth();
        recorder.record(
                runId, order.keyState(), new PairCheck(ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled"));
        recorder.record(runId, stack.stored(order.ref()).keyState(), PairCheck.HEALTHY);
        assertThat(stack.events.summary())
                .containsExactly("KeyAccessLost " + order.name(), "KeyAccessRestored " + order.name());
    }

    @Test
    void aVerdictOnAnOrderChangedSinceTheAuditReadItIsNotWritten() {
        Order order = unknownHealth();
        OrderKeyState judged = order.keyState();
        Order changed =
                stack.orders.put(stack.stored(order.ref()).relocatedTo("eastus").orElseThrow());
        PairCheck lost = new PairCheck(ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled");

        assertThatThrownBy(() -> recorder.record(runId, judged, lost)).isInstanceOf(StaleOrderException.class);
        assertThat(stack.stored(order.ref())).isEqualTo(changed);
        assertThat(stack.events.published()).isEmpty();
        assertThat(stack.auditRuns.report(runId).orElseThrow().findings()).isEmpty();
    }

    @Test
    void aVerdictProvenBeforeTheOrderWasCheckedAgainLeavesTheOrdersNewerHealth() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        PairCheck provenBefore = new PairCheck(
                ErrorCode.SsemUserErrorEncryptionKeyDisabled,
                "disabled",
                order.keyHealth().lastCheckedAt().minusSeconds(60));

        assertThat(recorder.record(runId, order.keyState(), provenBefore)).isEqualTo(KeyHealth.Status.Healthy);

        assertThat(stack.stored(order.ref())).isEqualTo(order);
        assertThat(stack.events.published()).isEmpty();
        assertThat(stack.auditRuns.report(runId).orElseThrow().findings()).isEmpty();
    }

    @Test
    void aChangedVerdictIsWrittenToTheWholeOrderKeepingItsUnlockKey() {
        Order order = unknownHealth();
        recorder.record(runId, order.keyState(), PairCheck.HEALTHY);
        Order stored = stack.stored(order.ref());
        assertThat(stored.wrappedUnlockKey()).isEqualTo(order.wrappedUnlockKey());
        assertThat(stored.location()).isEqualTo(order.location());
        assertThat(stored.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
    }
}
