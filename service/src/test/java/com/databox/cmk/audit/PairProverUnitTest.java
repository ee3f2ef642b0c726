package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault.Permission;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import com.databox.cmk.unlockkey.KeyUrl;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link PairProver}: proving a (key version, identity) pair once per run, with real RSA wraps. */
class PairProverUnitTest {
    private final InMemoryStack stack =
            new InMemoryStack(new AuditSettings(2, 4, Duration.ofMillis(200), Duration.ofHours(1)));
    private final CustomerKey key = stack.customerKey();

    private final PairProver prover =
            new PairProver(stack.services.requirements(), stack.auditRuns, Duration.ofMillis(200), stack.clock);
    private final String runId = "run-1";

    PairProverUnitTest() {
        stack.auditRuns.start(runId, stack.clock.instant(), "test", null);
    }

    @Test
    void provesAHealthyPairWithRealWrapAndUnwrap() {
        PairCheck check = prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        assertThat(check.healthy()).isTrue();
        assertThat(check.provenAt()).isEqualTo(stack.clock.instant());
    }

    @Test
    void provesEachPairOnceWithinAShard() {
        PairProver.Session session = prover.session(runId);
        session.check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        int calls = stack.keyVault.calls();
        session.check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        assertThat(stack.keyVault.calls()).isEqualTo(calls);
    }

    @Test
    void anotherShardReusesTheRunsProof() {
        prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        int calls = stack.keyVault.calls();
        PairCheck again = prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        assertThat(again.healthy()).isTrue();
        assertThat(stack.keyVault.calls()).isEqualTo(calls);
    }

    @Test
    void twoShardsHereMeetingAPairAtOnceProveItOnceWithoutAskingTheRunsRecord() throws Exception {
        stack.keyVault.slowCalls(Duration.ofMillis(100));
        int calls = stack.keyVault.calls();
        int claims = stack.auditRuns.claims();
        int reads = stack.auditRuns.pairStateReads();
        try (ExecutorService shards = Executors.newFixedThreadPool(2)) {
            Future<PairCheck> first = shards.submit(
                    () -> prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity()));
            Future<PairCheck> second = shards.submit(
                    () -> prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity()));
            assertThat(first.get(30, TimeUnit.SECONDS).healthy()).isTrue();
            assertThat(second.get(30, TimeUnit.SECONDS).healthy()).isTrue();
        }
        assertThat(stack.keyVault.calls() - calls).isEqualTo(3);
        assertThat(stack.auditRuns.claims() - claims).isEqualTo(1);
        assertThat(stack.auditRuns.pairStateReads() - reads).isZero();
    }

    @Test
    void aPairProvenInTheRunIsReadWithoutAClaim() {
        prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        int claims = stack.auditRuns.claims();
        prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        assertThat(stack.auditRuns.claims()).isEqualTo(claims);
    }

    @Test
    void provesItselfWhenTheClaimantNeverRecords() {
        String pairKey =
                KeyUrl.parse(key.keyUrl()) + "|" + key.wrappingIdentity().key();
        stack.auditRuns.claimPairCheck(runId, pairKey);
        PairCheck check = prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        assertThat(check.healthy()).isTrue();
        assertThat(stack.auditRuns.findPairCheck(runId, pairKey))
                .hasValueSatisfying(c -> assertThat(c.healthy()).isTrue());
    }

    @Test
    void aRefusedPermissionIsAVerdictWithItsCode() {
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.Get);
        PairCheck check = prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        assertThat(check.errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
    }

    @Test
    void anOutageIsNoVerdictAndIsNotRecorded() {
        stack.keyVault.goDown();
        PairProver.Session session = prover.session(runId);
        assertThatThrownBy(() -> session.check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity()))
                .isInstanceOf(TransientAuditFailure.class);
        String pairKey =
                KeyUrl.parse(key.keyUrl()) + "|" + key.wrappingIdentity().key();
        assertThat(stack.auditRuns.findPairCheck(runId, pairKey)).isEmpty();
    }

    @Test
    void anOutageReleasesTheClaimSoTheNextShardProvesAtOnce() {
        PairProver patient =
                new PairProver(stack.services.requirements(), stack.auditRuns, Duration.ofDays(1), stack.clock);
        String pairKey =
                KeyUrl.parse(key.keyUrl()) + "|" + key.wrappingIdentity().key();
        stack.keyVault.goDown();
        assertThatThrownBy(() -> patient.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity()))
                .isInstanceOf(TransientAuditFailure.class);
        assertThat(stack.auditRuns.pairState(runId, pairKey)).isInstanceOf(PairChecks.PairState.Unclaimed.class);

        stack.keyVault.recover();
        PairCheck check = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> patient.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity()),
                "a released claim must not be waited for");
        assertThat(check.healthy()).isTrue();
    }

    @Test
    void aWaiterTakesOverAClaimTheClaimantReleases() throws Exception {
        PairProver patient =
                new PairProver(stack.services.requirements(), stack.auditRuns, Duration.ofDays(1), stack.clock);
        String pairKey =
                KeyUrl.parse(key.keyUrl()) + "|" + key.wrappingIdentity().key();
        stack.auditRuns.claimPairCheck(runId, pairKey);
        CompletableFuture<PairCheck> waiter = CompletableFuture.supplyAsync(
                () -> patient.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity()));
        stack.auditRuns.releasePairCheck(runId, pairKey);
        assertThat(waiter.get(30, TimeUnit.SECONDS).healthy()).isTrue();
        assertThat(stack.auditRuns.findPairCheck(runId, pairKey))
                .hasValueSatisfying(c -> assertThat(c.healthy()).isTrue());
    }

    @Test
    void releasingLeavesARecordedProof() {
        String pairKey =
                KeyUrl.parse(key.keyUrl()) + "|" + key.wrappingIdentity().key();
        prover.session(runId).check(KeyUrl.parse(key.keyUrl()), key.wrappingIdentity());
        stack.auditRuns.releasePairCheck(runId, pairKey);
        assertThat(stack.auditRuns.findPairCheck(runId, pairKey))
                .hasValueSatisfying(c -> assertThat(c.healthy()).isTrue());
    }
}
