package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.LoggedRecords;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault.Permission;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import com.databox.cmk.unlockkey.KeyUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** A whole audit run on in-memory ports: planned, its shards taken from the queue, reported. */
class AuditServiceUnitTest {
    private final InMemoryStack stack =
            new InMemoryStack(new AuditSettings(3, 4, Duration.ofMillis(200), Duration.ofHours(1)));
    private final AuditService audit = stack.audit();
    private final CustomerKey key = stack.customerKey();

    private AuditReport run() {
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            audit.runShard(shard.get());
        }
        return audit.report(InMemoryStack.TENANT, runId).orElseThrow();
    }

    @Test
    void checksEveryActiveCustomerManagedOrderAndSkipsTheRest() {
        stack.customerManagedOrder(key, key.keyUrl());
        stack.customerManagedOrder(key, key.keyUrl());
        stack.microsoftManagedOrder();
        Order finished = stack.customerManagedOrder(key, key.keyUrl());
        stack.orderService().moveStage(finished.ref(), Stage.Completed, IfMatch.ABSENT, InMemoryStack.ACTOR);
        AuditReport report = run();
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.ordersChecked()).isEqualTo(2);
        assertThat(report.healthy()).isEqualTo(2);
        assertThat(report.notAudited()).isZero();
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void theShardsOfARunStartedHereCheckTheirMessagesFromMemoryAndAnotherInstanceReadsTheRecord() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        AuditReport report = run();
        assertThat(report.shards()).isEqualTo(3);
        // Not to check their messages: the run's row, once each shard but the last page's is done, for the run's end
        // line (since 2026-12-08).
        assertThat(stack.auditRuns.plannedReads()).isEqualTo(2);
        int plannedReads = stack.auditRuns.plannedReads();

        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        AuditService elsewhere = stack.audit();
        elsewhere.runShard(stack.shards.take().orElseThrow());
        // Its run's row and its link: the instance that takes the first shard did not queue it; then its run's row
        // again, for the end line.
        assertThat(stack.auditRuns.plannedReads() - plannedReads).isEqualTo(3);
        assertThatThrownBy(() -> elsewhere.runShard(new AuditShard(runId, 7)))
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest));
    }

    /** bug bash ob1 F11: no line said that a run ended, nor its totals; one INFO line now, written once. */
    @Test
    void aRunsEndIsOneLineWithItsTotals() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        AuditReport report;
        List<String> lines;
        try (LoggedRecords logged =
                LoggedRecords.capture(record -> record.getLoggerName().equals(AuditService.class.getName()))) {
            report = run();
            lines = logged.records().stream()
                    .map(record -> ((ExtLogRecord) record).getFormattedMessage())
                    .toList();
        }

        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(lines)
                .filteredOn(line -> line.contains(" ended: "))
                .singleElement(as(STRING))
                .startsWith("Audit run " + report.runId() + " ended: Succeeded in ")
                .contains(" s, 3 shard(s), 7 order(s) checked: 7 healthy, 0 accessLost, 0 rotated, 0 notAudited;"
                        + " 0 unreadable (tenant " + InMemoryStack.TENANT.value() + ")");
    }

    @Test
    void provesAPairSharedByManyOrdersOncePerRun() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        int calls = stack.keyVault.calls();
        run();
        // describe, wrap and unwrap: one proof for the seven orders in three shards.
        assertThat(stack.keyVault.calls() - calls).isEqualTo(3);
    }

    @Test
    void eachOrderIsReadOnceInItsShardsPageAndNoShardReadsTheWholeRun() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        int pointReads = stack.orders.pointReads();
        int pageReads = stack.orders.pageReads();
        int reports = stack.auditRuns.reportsRead();
        AuditReport report = run();
        assertThat(report.shards()).isEqualTo(3);
        assertThat(report.ordersChecked()).isEqualTo(7);
        assertThat(stack.orders.pointReads() - pointReads).isZero();
        assertThat(stack.orders.pageReads() - pageReads).isEqualTo(3);
        assertThat(stack.orders.rangeReads()).isZero();
        assertThat(stack.orders.nameReads()).isZero();
        // run()'s own, and the last shard's for the run's end line (since 2026-12-08): no shard reads the whole run
        // to check its message, and none before the run's last page is read.
        assertThat(stack.auditRuns.reportsRead() - reports).isEqualTo(2);
    }

    @Test
    void theLaterShardsOfARunHereReadNeitherThePairsVerdictNorTheIdentityAgain() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        int pairReads = stack.auditRuns.pairStateReads();
        int claims = stack.auditRuns.claims();
        int lookups = stack.identities.lookups();
        assertThat(run().shards()).isEqualTo(3);
        // The first shard claims the pair without reading it and proves it; the other two take its verdict.
        assertThat(stack.auditRuns.pairStateReads() - pairReads).isZero();
        assertThat(stack.auditRuns.claims() - claims).isEqualTo(1);
        assertThat(stack.identities.lookups() - lookups).isEqualTo(1);

        // The next run claims and asks afresh.
        run();
        assertThat(stack.auditRuns.pairStateReads() - pairReads).isZero();
        assertThat(stack.auditRuns.claims() - claims).isEqualTo(2);
        assertThat(stack.identities.lookups() - lookups).isEqualTo(2);
    }

    @Test
    void ordersAuditedAtOnceAskTheDirectoryOnceForTheirIdentity() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        stack.identities.slowLookups(Duration.ofMillis(100));
        int lookups = stack.identities.lookups();
        run();
        assertThat(stack.identities.lookups() - lookups).isEqualTo(1);
    }

    @Test
    void ordersWaitingForTheirPairsProofLeaveTheirSlotsToTheOrdersOfOtherPairs() {
        // Two slots, one shard. The first key's six orders come first in the page: the one proving its
        // pair holds a slot, the five waiting for that proof hold none, so the second key's order, last
        // in the page, proves its pair meanwhile. Holding their slots, they kept it waiting to the end.
        InMemoryStack oneShard =
                new InMemoryStack(new AuditSettings(10, 2, Duration.ofSeconds(5), Duration.ofHours(1)));
        CustomerKey first = oneShard.customerKey();
        CustomerKey second = oneShard.customerKey();
        for (int i = 0; i < 6; i++) {
            oneShard.customerManagedOrder(
                    new OrderRef(InMemoryStack.TENANT, new OrderName("a-" + i)), first, first.keyUrl());
        }
        oneShard.customerManagedOrder(
                new OrderRef(InMemoryStack.TENANT, new OrderName("z-last")), second, second.keyUrl());
        oneShard.keyVault.slowCalls(Duration.ofMillis(150));
        AuditService audit = oneShard.audit();
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        for (Optional<AuditShard> shard = oneShard.shards.take(); shard.isPresent(); shard = oneShard.shards.take()) {
            audit.runShard(shard.get());
        }
        AuditReport report = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        assertThat(report.shards()).isEqualTo(1);
        assertThat(report.healthy()).isEqualTo(7);
        assertThat(oneShard.keyVault.mostCallsAtOnce())
                .as("the two pairs proven at once")
                .isEqualTo(2);
    }

    @Test
    void aRunThatFindsWhatIsStoredWritesNoOrderAndProvesEachPairOnce() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        run();
        int writes = stack.orders.writes();
        int calls = stack.keyVault.calls();
        AuditReport again = run();
        assertThat(again.healthy()).isEqualTo(7);
        assertThat(stack.orders.writes()).isEqualTo(writes);
        assertThat(stack.keyVault.calls() - calls).isEqualTo(3);
    }

    @Test
    void aRevokedPermissionIsAFindingAndAnEvent() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.UnwrapKey);
        AuditReport report = run();
        assertThat(report.accessLost()).isEqualTo(1);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.orderName()).isEqualTo(order.name());
            assertThat(f.errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        });
        assertThat(stack.stored(order.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(stack.events.summary()).containsExactly("KeyAccessLost " + order.name());
    }

    /** One made again under its name is another principal, which the order was not given: a finding too. */
    @Test
    void anIdentityMadeAgainUnderItsNameIsAFinding() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String resourceId = key.identity().resourceId().value();
        stack.identities.delete(resourceId);
        stack.identities.createUserAssigned(resourceId.substring(resourceId.lastIndexOf('/') + 1));
        AuditReport report = run();
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.errorCode()).isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound);
            assertThat(f.message()).contains("another principal");
        });
        assertThat(stack.stored(order.ref()).keyHealth().errorCode())
                .isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound);
    }

    /**
     * The directory is asked while the pair is proven; its answer decides first. The in-memory vault still
     * answers as the deleted identity, as Key Vault does for a token cached before the deletion.
     */
    @Test
    void aDeletedIdentityIsAFindingWhateverTheVaultAnswersMeanwhile() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.identities.delete(key.identity().resourceId());
        AuditReport report = run();
        assertThat(report.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.errorCode()).isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound));
        assertThat(report.healthy()).isZero();
        assertThat(stack.stored(order.ref()).keyHealth().errorCode())
                .isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound);
    }

    @Test
    void anOutageGivesNoVerdictAndLeavesTheOrdersAlone() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.goDown();
        AuditReport report = run();
        assertThat(report.ordersChecked()).isEqualTo(1);
        assertThat(report.healthy() + report.accessLost()).isZero();
        assertThat(report.notAudited())
                .as("a run that checked nothing tells it, though it succeeded")
                .isEqualTo(1);
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void aKeyOnAHostNoLongerAllowedIsTheOrdersFindingAndTheShardAuditsTheOthers() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        Order healthy = stack.customerManagedOrder(key, key.keyUrl());
        storeOnAHostNoLongerAllowed(order);

        AuditReport report = run();

        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.healthy()).isEqualTo(1);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.orderName()).isEqualTo(order.name());
            assertThat(f.errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);
        });
        assertThat(stack.stored(healthy.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
    }

    /** Before 2026-12-07 a damaged row failed its shard on every delivery, and the run never finished. */
    @Test
    void aDamagedRowIsCountedAsUnreadableAndTheShardAuditsTheOthers() {
        Order before = stack.customerManagedOrder(key, key.keyUrl());
        Order damaged = stack.customerManagedOrder(key, key.keyUrl());
        Order lost = stack.customerManagedOrder(key, key.keyUrl());
        stack.orders.damage(damaged.ref(), "KekUrl");
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.UnwrapKey);

        AuditReport report = run();

        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.unreadable()).isEqualTo(1);
        assertThat(report.ordersChecked()).isEqualTo(2);
        assertThat(report.accessLost()).isEqualTo(2);
        assertThat(report.findings())
                .extracting(Finding::orderName)
                .containsExactlyInAnyOrder(before.name(), lost.name());
    }

    @Test
    void anErrorOnlyAnOrderMeetsLeavesThatOrderUnauditedAndTheRunGoesOn() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.identities.beforeLookup(() -> {
            throw new IllegalStateException("Resource Manager answered 403 to the service");
        });

        AuditReport report = run();

        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.ordersChecked()).isEqualTo(1);
        assertThat(report.healthy() + report.accessLost()).isZero();
        assertThat(report.notAudited()).isEqualTo(1);
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    /**
     * One cause every order meets wrote a warning an order, every run (bug bash ob1 F2): a shard logs the first few,
     * each with its run and tenant, and its own line names its orders with their tenants (order names are a tenant's
     * own, and the timer's run holds every tenant's).
     */
    @Test
    void anErrorEveryOrderMeetsIsLoggedForTheFirstFewOrdersOfAShardOnly() {
        InMemoryStack oneShard =
                new InMemoryStack(new AuditSettings(20, 4, Duration.ofMillis(200), Duration.ofHours(1)));
        CustomerKey shared = oneShard.customerKey();
        for (int i = 0; i < 12; i++) {
            oneShard.customerManagedOrder(shared, shared.keyUrl());
        }
        oneShard.identities.beforeLookup(() -> {
            throw new IllegalStateException("Resource Manager answered 403 to the service");
        });
        AuditService oneShardAudit = oneShard.audit();

        AuditReport report;
        try (LoggedRecords logged =
                LoggedRecords.capture(record -> record.getLevel().intValue() == Level.WARNING.intValue()
                        && record.getLoggerName().equals(AuditService.class.getName()))) {
            String runId = oneShardAudit.start("test", InMemoryStack.TENANT).runId();
            for (Optional<AuditShard> shard = oneShard.shards.take();
                    shard.isPresent();
                    shard = oneShard.shards.take()) {
                oneShardAudit.runShard(shard.get());
            }
            report = oneShardAudit.report(InMemoryStack.TENANT, runId).orElseThrow();
            List<String> warnings = logged.records().stream()
                    .map(record -> ((ExtLogRecord) record).getFormattedMessage())
                    .toList();
            assertThat(warnings)
                    .filteredOn(line -> line.contains("not audited this run: IllegalStateException"))
                    .hasSize(5)
                    .allSatisfy(line -> assertThat(line)
                            .contains("Audit run " + report.runId())
                            .contains("of tenant " + InMemoryStack.TENANT.value()));
            assertThat(warnings)
                    .filteredOn(line -> line.contains("order(s) not audited this run"))
                    .singleElement(as(STRING))
                    .contains("12 order(s)", "(tenant " + InMemoryStack.TENANT.value() + ")", "IllegalStateException");
        }
        assertThat(report.notAudited()).isEqualTo(12);
    }

    /**
     * The orders lost access in an earlier run. This run proves the pair lost in its first shard; then the
     * customer restores the permission and validates an order of the last shard, which becomes Healthy. The
     * run's verdict is older than that order's own check: it stays Healthy, with no false KeyAccessLost.
     */
    @Test
    void anOrderValidatedAfterThePairWasProvenKeepsItsNewerHealth() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.UnwrapKey);
        assertThat(run().accessLost()).isEqualTo(7);
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        audit.runShard(stack.shards.take().orElseThrow());
        Order lastShards =
                stack.orders.list(InMemoryStack.TENANT, 100, null).orders().getLast();

        stack.advance(Duration.ofMinutes(1));
        stack.keyVault.grantAll(key.vaultUrl(), key.wrappingIdentity());
        assertThat(stack.encryption()
                        .validate(lastShards.ref(), null, IfMatch.ABSENT, "customer")
                        .valid())
                .isTrue();
        assertThat(stack.events.summary()).endsWith("KeyAccessRestored " + lastShards.name());
        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            audit.runShard(shard.get());
        }

        assertThat(stack.stored(lastShards.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.events.summary()).endsWith("KeyAccessRestored " + lastShards.name());
        AuditReport report = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        assertThat(report.findings()).hasSize(6).noneMatch(f -> f.orderName().equals(lastShards.name()));
        assertThat(report.healthy()).isEqualTo(1);
    }

    /**
     * Mutation testing (mt1): a run's {@code ordersChecked} counts every order of its shards, whatever its verdict;
     * a subtraction in place of either addition of the lost or the rotated orders went unnoticed (only runs whose
     * orders all had one verdict checked the count).
     */
    @Test
    void ordersCheckedCountsHealthyLostAndRotatedOrdersAlike() {
        stack.customerManagedOrder(key, key.keyUrl());
        stack.customerManagedOrder(key, key.versionlessUrl());
        Order lost = stack.customerManagedOrder(key, key.keyUrl());
        storeOnAHostNoLongerAllowed(lost);
        stack.keyVault.addVersion(key.vaultUrl(), key.keyName());

        AuditReport report = run();

        assertThat(report.accessLost()).isEqualTo(1);
        assertThat(report.rotated()).isEqualTo(1);
        assertThat(report.ordersChecked()).isEqualTo(3);
    }

    @Test
    void movesAutoRotationOrdersToTheNewVersionAndCountsThem() {
        Order order = stack.customerManagedOrder(key, key.versionlessUrl());
        String v2 = stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).keyId();
        AuditReport report = run();
        assertThat(report.rotated()).isEqualTo(1);
        assertThat(((KeyProtection.CustomerManaged) stack.stored(order.ref()).protection())
                        .keyUrl()
                        .keyId())
                .isEqualTo(v2);
        assertThat(stack.events.summary()).containsExactly("KeyVersionRotated " + order.name());
    }

    /**
     * One run at a time per tenant: a start while the tenant's run goes on answers that run, so that a
     * tenant starting runs in a loop cannot fill the shard queue every tenant's runs share; once it is
     * done, a start starts a new one. Another tenant's start is its own.
     */
    /**
     * Review rv6 M1: a run past its retention is gone even before its deletion ends (a deletion cut short by its time
     * leaves the run's own row, and a report that counted findings or shards already deleted).
     */
    @Test
    void aRunPastItsRetentionIsNotFoundWhetherOrNotItIsDeletedYet() {
        stack.customerManagedOrder(key, key.keyUrl());
        String runId = run().runId();

        stack.clock.advance(AuditSettings.DEFAULT_RETENTION.minusMinutes(1));
        assertThat(audit.report(InMemoryStack.TENANT, runId)).isPresent();
        stack.clock.advance(Duration.ofMinutes(2));
        assertThat(stack.auditRuns.report(runId)).as("not deleted yet").isPresent();
        assertThat(audit.report(InMemoryStack.TENANT, runId)).isEmpty();
    }

    @Test
    void aStartWhileTheTenantsRunGoesOnAnswersThatRun() {
        stack.customerManagedOrder(key, key.keyUrl());
        String first = audit.start("test", InMemoryStack.TENANT).runId();

        assertThat(audit.start("test", InMemoryStack.TENANT).runId()).isEqualTo(first);
        assertThat(stack.shards.size()).as("no second run's shard").isEqualTo(1);
        TenantId other = new TenantId(UUID.randomUUID().toString());
        assertThat(audit.start("test", other).runId()).isNotEqualTo(first);

        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            audit.runShard(shard.get());
        }
        assertThat(audit.report(InMemoryStack.TENANT, first).orElseThrow().status())
                .isEqualTo(AuditReport.Status.Succeeded);
        assertThat(audit.start("test", InMemoryStack.TENANT).runId()).isNotEqualTo(first);
    }

    /**
     * The timer's run of every tenant, one at a time too: a start the host retried, or a schedule shorter
     * than the run, answers the run going on instead of stacking another run of every tenant.
     */
    @Test
    void aTimerStartWhileTheTimersRunGoesOnAnswersThatRun() {
        stack.customerManagedOrder(key, key.keyUrl());
        String first = audit.start("timer", null).runId();

        assertThat(audit.start("timer", null).runId()).isEqualTo(first);
        assertThat(stack.shards.size()).as("no second run's shard").isEqualTo(1);
        assertThat(audit.start("test", InMemoryStack.TENANT).runId())
                .as("a tenant's own run is not the timer's")
                .isNotEqualTo(first);

        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            audit.runShard(shard.get());
        }
        assertThat(audit.start("timer", null).runId()).isNotEqualTo(first);
    }

    /**
     * Starts at once: one claims the tenant's latest run before it writes it, the others, which find the
     * claim without a run yet, answer that run; none starts one of its own. A claim whose start was cut
     * short stops counting after a while.
     */
    @Test
    void startsAtOnceMakeOneRunAndAClaimCutShortStopsCounting() {
        String claimed = UUID.randomUUID().toString();
        stack.auditRuns.claimLatest(InMemoryStack.TENANT.value(), claimed, stack.clock.instant(), Optional.empty());

        assertThat(audit.start("test", InMemoryStack.TENANT).runId())
                .as("being started")
                .isEqualTo(claimed);
        assertThat(stack.shards.size()).isZero();

        stack.clock.advance(AuditService.START_MAY_TAKE.plusSeconds(1));
        String started = audit.start("test", InMemoryStack.TENANT).runId();
        assertThat(started).isNotEqualTo(claimed);
        assertThat(stack.shards.size()).isEqualTo(1);
    }

    /**
     * A timer's start whose first shard could not be queued (the queue answering 503 after the run was
     * written) fails, so that the host retries it; the retry starts a run that audits the orders, instead of
     * answering the run that never moves.
     */
    @Test
    void aStartThatCouldNotQueueItsFirstShardFailsAndItsRetryAuditsTheOrders() {
        stack.customerManagedOrder(key, key.keyUrl());
        stack.shards.beforeEnqueue(() -> {
            throw storageUnavailable();
        });
        assertThatThrownBy(() -> audit.start("timer", null)).isInstanceOf(ServiceException.class);

        stack.shards.beforeEnqueue(() -> {});
        stack.clock.advance(Duration.ofSeconds(30));
        String retried = audit.start("timer", null).runId();

        AuditReport report = drain(retried);
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.ordersChecked()).isEqualTo(1);
    }

    /**
     * A start that failed gave its claim up: a retry at once (a caller's after {@code Retry-After}, sooner than a
     * claim with no run stops counting) starts a run of its own and queues it, rather than answering the failed
     * one (mutation testing mt1: the release could be taken out unnoticed, as the test above retries after 30 s).
     */
    @Test
    void aStartThatFailedGivesItsClaimUpSoThatARetryAtOnceStartsARun() {
        stack.customerManagedOrder(key, key.keyUrl());
        stack.shards.beforeEnqueue(() -> {
            throw storageUnavailable();
        });
        assertThatThrownBy(() -> audit.start("test", InMemoryStack.TENANT)).isInstanceOf(ServiceException.class);
        stack.shards.beforeEnqueue(() -> {});

        String retried = audit.start("test", InMemoryStack.TENANT).runId();

        assertThat(stack.shards.size()).isEqualTo(1);
        AuditReport report = drain(retried);
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.ordersChecked()).isEqualTo(1);
    }

    /**
     * The same, with Storage failing the claim's release too: a retry finds the run written but its first
     * shard not queued and, once the start has had the time to queue it, queues it; a later start while it
     * goes on queues nothing more.
     */
    @Test
    void aRetryFindingTheRunItsFailedStartWroteQueuesItsFirstShard() {
        stack.customerManagedOrder(key, key.keyUrl());
        stack.shards.beforeEnqueue(() -> {
            throw storageUnavailable();
        });
        stack.auditRuns.beforeRelease(() -> {
            throw storageUnavailable();
        });
        assertThatThrownBy(() -> audit.start("timer", null)).isInstanceOf(ServiceException.class);

        stack.shards.beforeEnqueue(() -> {});
        stack.auditRuns.beforeRelease(() -> {});
        stack.clock.advance(Duration.ofSeconds(1));
        String meanwhile = audit.start("timer", null).runId();
        assertThat(stack.shards.size())
                .as("a start may still be queuing its first shard a second after its claim: none queued")
                .isZero();
        stack.clock.advance(Duration.ofSeconds(30));
        String retried = audit.start("timer", null).runId();
        assertThat(retried).isEqualTo(meanwhile);
        assertThat(stack.shards.size()).isEqualTo(1);
        assertThat(audit.start("timer", null).runId()).isEqualTo(retried);
        assertThat(stack.shards.size()).as("queued once").isEqualTo(1);

        AuditReport report = drain(retried);
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.ordersChecked()).isEqualTo(1);
    }

    /** A start while a run that has moved on goes on answers it without reading whether its first shard was queued. */
    @Test
    void aStartWhileARunThatMovedOnGoesOnReadsNoLink() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        stack.clock.advance(Duration.ofSeconds(1));
        audit.runShard(stack.shards.take().orElseThrow());
        stack.clock.advance(Duration.ofSeconds(30));
        int reads = stack.auditRuns.plannedReads();

        assertThat(audit.start("test", InMemoryStack.TENANT).runId()).isEqualTo(runId);

        assertThat(stack.auditRuns.plannedReads()).isEqualTo(reads);
        assertThat(stack.shards.size()).as("the second shard only").isEqualTo(1);
    }

    /** The timer's run, drained of its shards, as its record reports it (it is no tenant's to read). */
    /** Stores {@code order} as if its key were on a host the allow-list no longer takes. */
    private void storeOnAHostNoLongerAllowed(Order order) {
        KeyProtection.CustomerManaged stored = (KeyProtection.CustomerManaged) order.protection();
        stack.orders.put(order.withProtection(
                new KeyProtection.CustomerManaged(
                        KeyUrl.parse("https://contoso.vault.example.org/keys/databox-kek/"
                                + "0123456789abcdef0123456789abcdef"),
                        stored.vault(),
                        stored.keyIdentity(),
                        false),
                order.wrappedUnlockKey()));
    }

    private AuditReport drain(String runId) {
        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            audit.runShard(shard.get());
        }
        return stack.auditRuns.report(runId).orElseThrow();
    }

    private static ServiceException storageUnavailable() {
        return new ServiceException(ErrorCode.StorageUnavailable, "Storage is unavailable for a moment.", null);
    }

    private List<String> runsStartedDaysAgo(int runs, int days) {
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String runId = UUID.randomUUID().toString();
            stack.auditRuns.start(runId, stack.clock.instant().minus(Duration.ofDays(days + i)), "timer", null);
            runIds.add(runId);
        }
        return runIds;
    }

    /**
     * Review rv3 M3: the hourly timer's deletions alone (2,000 runs) were out-run by three tenants starting runs back
     * to back; every run now deletes more expired runs than it adds.
     */
    @Test
    void aRunsFirstShardDeletesTwoRunsPastTheirRetentionMoreThanItAdds() {
        stack.customerManagedOrder(key, key.keyUrl());
        List<String> expired = runsStartedDaysAgo(5, 31);
        String kept = runsStartedDaysAgo(1, 29).get(0);

        String runId = run().runId();

        assertThat(expired).filteredOn(stack.auditRuns::exists).hasSize(3);
        assertThat(stack.auditRuns.exists(kept)).isTrue();
        assertThat(stack.auditRuns.exists(runId)).isTrue();
        run();
        assertThat(expired).filteredOn(stack.auditRuns::exists).hasSize(1);
        assertThat(stack.auditRuns.exists(kept)).isTrue();
    }

    @Test
    void aDeletionThatFailsFailsNoShardAndChangesNoReport() {
        stack.customerManagedOrder(key, key.keyUrl());
        List<String> expired = runsStartedDaysAgo(2, 31);
        stack.auditRuns.beforeDelete(() -> {
            throw new IllegalStateException("storage down");
        });

        AuditReport report = run();

        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.healthy()).isEqualTo(1);
        assertThat(expired).allMatch(stack.auditRuns::exists);
    }

    @Test
    void aRunWithoutOrdersSucceedsWithItsOneEmptyShard() {
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        audit.runShard(stack.shards.take().orElseThrow());
        assertThat(stack.shards.size()).isZero();
        AuditReport report = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.shards()).isEqualTo(1);
        assertThat(report.ordersChecked()).isZero();
    }

    @Test
    void aShardMessageNoRunQueuedIsRefusedWithoutReadingAnOrder() {
        stack.customerManagedOrder(key, key.keyUrl());
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        int pages = stack.orders.pageReads();
        for (AuditShard forged : List.of(
                new AuditShard("not-a-run", 0),
                new AuditShard(null, 0),
                new AuditShard(runId, -1),
                // A run that exists, a page it never linked.
                new AuditShard(runId, 7),
                new AuditShard(UUID.randomUUID().toString(), 0))) {
            assertThatThrownBy(() -> audit.runShard(forged))
                    .as(forged.toString())
                    .isInstanceOfSatisfying(
                            ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest));
        }
        assertThat(stack.orders.pageReads()).isEqualTo(pages);
        assertThat(stack.shards.size()).isEqualTo(1);
    }

    @Test
    void aShardDoneTwiceCountsOnce() {
        stack.customerManagedOrder(key, key.keyUrl());
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        AuditShard shard = stack.shards.take().orElseThrow();
        audit.runShard(shard);
        audit.runShard(shard);
        assertThat(audit.report(InMemoryStack.TENANT, runId).orElseThrow().ordersChecked())
                .isEqualTo(1);
    }

    /**
     * A queue delivers at least once, and a message may come again after its run finished: it audits nothing
     * again, so the finished run's report keeps its counts, its end and the findings they count.
     */
    @Test
    void aShardDeliveredAgainAfterItsRunFinishedChangesNeitherTheRunNorItsOrders() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.UnwrapKey);
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        AuditShard shard = stack.shards.take().orElseThrow();
        ShardResult first = audit.runShard(shard, 1);
        // A first delivery cannot find its shard done: it does not ask.
        assertThat(stack.auditRuns.shardResultReads()).isZero();
        AuditReport finished = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        assertThat(finished.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(finished.accessLost()).isEqualTo(1);

        stack.keyVault.grant(key.vaultUrl(), key.wrappingIdentity(), Permission.UnwrapKey);
        stack.advance(Duration.ofMinutes(5));
        assertThat(audit.runShard(shard, 2)).isEqualTo(first);
        assertThat(audit.runShard(shard)).as("a delivery of unknown count").isEqualTo(first);

        assertThat(audit.report(InMemoryStack.TENANT, runId).orElseThrow()).isEqualTo(finished);
        assertThat(stack.stored(order.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(stack.events.summary()).containsExactly("KeyAccessLost " + order.name());
        assertThat(stack.shards.take()).isEmpty();
    }

    @Test
    void aShardAuditsItsOrdersWhileTheNextShardIsQueuedAndIsRecordedDoneOnlyAfter() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        AuditShard first = stack.shards.take().orElseThrow();
        int calls = stack.keyVault.calls();
        List<String> seenWhileQueuing = new ArrayList<>();
        stack.shards.beforeEnqueue(() -> {
            // Held until the page's pair is proven (three vault calls), which its orders do meanwhile.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (stack.keyVault.calls() - calls < 3 && System.nanoTime() < deadline) {
                // Asleep, this thread leaves its carrier to the orders being audited.
                sleepMillis(1);
            }
            seenWhileQueuing.add("vault calls " + (stack.keyVault.calls() - calls) + ", shards done "
                    + audit.report(InMemoryStack.TENANT, runId).orElseThrow().shardsDone());
        });
        audit.runShard(first);
        assertThat(seenWhileQueuing).containsExactly("vault calls 3, shards done 0");
        assertThat(audit.report(InMemoryStack.TENANT, runId).orElseThrow().shardsDone())
                .isEqualTo(1);
    }

    @Test
    void aShardThatCouldNotQueueTheNextIsNotRecordedDoneAndQueuesItWhenDeliveredAgain() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        AuditShard first = stack.shards.take().orElseThrow();
        stack.shards.beforeEnqueue(() -> {
            throw new IllegalStateException("queue unavailable");
        });
        assertThatThrownBy(() -> audit.runShard(first)).hasMessageContaining("queue unavailable");
        AuditReport failed = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        assertThat(failed.shardsDone()).isZero();
        assertThat(failed.status()).isEqualTo(AuditReport.Status.Running);
        assertThat(stack.shards.size()).isZero();

        stack.shards.beforeEnqueue(() -> {});
        audit.runShard(first);
        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            audit.runShard(shard.get());
        }
        AuditReport report = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.shards()).isEqualTo(3);
        assertThat(report.ordersChecked()).isEqualTo(7);
        assertThat(report.healthy()).isEqualTo(7);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRunWhoseShardsWereGivenUpIsReportedFailedOnceItHasNotMovedOnForStalledAfter() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        stack.advance(Duration.ofMinutes(5));
        audit.runShard(stack.shards.take().orElseThrow());
        // The second shard's message is given up (the queue's last delivery failed): nothing moves the run on.
        assertThat(stack.shards.take()).isPresent();

        stack.advance(Duration.ofMinutes(59));
        assertThat(audit.report(InMemoryStack.TENANT, runId).orElseThrow().status())
                .as("an hour since its start, but not since its first shard linked the second")
                .isEqualTo(AuditReport.Status.Running);
        stack.advance(Duration.ofMinutes(2));
        AuditReport failed = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        assertThat(failed.status()).isEqualTo(AuditReport.Status.Failed);
        assertThat(failed.finishedAt()).isNull();
        assertThat(failed.shardsDone()).isEqualTo(1);
        assertThat(failed.ordersChecked()).isEqualTo(3);
        assertThat(failed.lastProgressAt()).isEqualTo(stack.clock.instant().minus(Duration.ofMinutes(61)));
    }

    @Test
    void aRunThatKeepsMovingOnIsNeverFailedHoweverLongItTakesAndADoneRunStaysDone() {
        for (int i = 0; i < 7; i++) {
            stack.customerManagedOrder(key, key.keyUrl());
        }
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            stack.advance(Duration.ofMinutes(50));
            assertThat(audit.report(InMemoryStack.TENANT, runId).orElseThrow().status())
                    .isEqualTo(AuditReport.Status.Running);
            audit.runShard(shard.get());
        }
        stack.advance(Duration.ofDays(2));
        AuditReport report = audit.report(InMemoryStack.TENANT, runId).orElseThrow();
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.ordersChecked()).isEqualTo(7);
    }

    @Test
    void anOutageOfTheDirectoryIsNoVerdictOrdersKeepTheirHealthAndNoAccessLostIsFound() {
        Order first = stack.customerManagedOrder(key, key.keyUrl());
        Order second = stack.customerManagedOrder(key, key.keyUrl());
        run();
        int events = stack.events.published().size();
        stack.identities.unavailable(true);

        AuditReport report = run();
        assertThat(report.status()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.accessLost()).isZero();
        assertThat(report.findings()).isEmpty();
        assertThat(report.healthy()).isZero();
        assertThat(report.ordersChecked()).isEqualTo(2);
        assertThat(report.notAudited()).isEqualTo(2);
        for (Order order : List.of(first, second)) {
            assertThat(stack.stored(order.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        }
        assertThat(stack.events.published()).hasSize(events);

        stack.identities.unavailable(false);
        assertThat(run().healthy()).isEqualTo(2);
    }

    /** Issue 16, item 5, as validate does it: the directory's lookup no longer comes before the vault calls. */
    @Test
    void theDirectoryIsAskedWhileThePairIsProven() {
        stack.customerManagedOrder(key, key.keyUrl());
        int calls = stack.keyVault.calls();
        java.util.concurrent.atomic.AtomicBoolean vaultCalledMeanwhile =
                new java.util.concurrent.atomic.AtomicBoolean();
        stack.identities.beforeLookup(() -> {
            long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (stack.keyVault.calls() == calls && System.nanoTime() < giveUp) {
                Thread.onSpinWait();
            }
            vaultCalledMeanwhile.set(stack.keyVault.calls() > calls);
        });
        AuditReport report = run();
        assertThat(report.healthy()).isEqualTo(1);
        assertThat(vaultCalledMeanwhile)
                .as("the vault was called while the lookup was open")
                .isTrue();
    }

    /**
     * However many shards are handed over at once (the Functions host's default is 24), an instance takes
     * the pages of {@code shardsAtOnce} at a time: its heap is sized for that many pages (jvm.options).
     */
    @Test
    void anInstanceTakesThePagesOfNoMoreShardsAtOnceThanItIsSizedFor() throws Exception {
        InMemoryStack twoAtOnce = new InMemoryStack(
                new AuditSettings(2, 4, 2, Duration.ofMillis(200), Duration.ofHours(1), Duration.ofDays(2)));
        AuditService instance = twoAtOnce.audit();
        CustomerKey itsKey = twoAtOnce.customerKey();
        for (int i = 0; i < 10; i++) {
            twoAtOnce.customerManagedOrder(itsKey, itsKey.keyUrl());
        }
        AtomicInteger parsing = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        // Each page is parsed slowly enough for every shard queued meanwhile to be handed over.
        twoAtOnce.orders.parsePagesWith(() -> {
            mostAtOnce.accumulateAndGet(parsing.incrementAndGet(), Math::max);
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                parsing.decrementAndGet();
            }
        });
        String runId = instance.start("test", InMemoryStack.TENANT).runId();
        List<Future<ShardResult>> handedOver = new ArrayList<>();
        try (var host = Executors.newVirtualThreadPerTaskExecutor()) {
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (handedOver.size() < 5 && System.nanoTime() < giveUp) {
                Optional<AuditShard> shard = twoAtOnce.shards.take();
                if (shard.isPresent()) {
                    // Handed over at once, as the host hands over every message it has taken.
                    handedOver.add(host.submit(() -> instance.runShard(shard.get())));
                } else {
                    Thread.sleep(1);
                }
            }
        }
        assertThat(handedOver).hasSize(5);
        for (var shard : handedOver) {
            assertThat(shard.get().ordersChecked()).isEqualTo(2);
        }
        assertThat(instance.report(InMemoryStack.TENANT, runId).orElseThrow().healthy())
                .isEqualTo(10);
        assertThat(mostAtOnce).as("pages being parsed at once").hasValue(2);
    }
}
