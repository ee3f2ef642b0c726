package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.testing.inmemory.InMemoryAuditRuns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** {@link AuditRetention}: runs older than the retention are deleted, a bounded number a call. */
class AuditRetentionUnitTest {
    private final Instant now = Instant.parse("2026-12-04T12:00:00Z");
    private final InMemoryAuditRuns runs = new InMemoryAuditRuns();
    private final AuditRetention retention =
            new AuditRetention(runs, Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC));

    private String runStarted(Duration ago) {
        String runId = UUID.randomUUID().toString();
        runs.start(runId, now.minus(ago), "timer", null);
        return runId;
    }

    @Test
    void deletesTheRunsStartedBeforeTheRetentionAndKeepsTheOthers() {
        String expired = runStarted(Duration.ofDays(31));
        String kept = runStarted(Duration.ofDays(29));

        assertThat(retention.deleteExpiredRuns()).isEqualTo(1);

        assertThat(runs.exists(expired)).isFalse();
        assertThat(runs.exists(kept)).isTrue();
        assertThat(retention.deleteExpiredRuns()).isZero();
    }

    @Test
    void deletesABoundedNumberACallAndTheNextCallGoesOn() {
        for (int i = 0; i < AuditRetention.MAX_PER_CALL + 3; i++) {
            runStarted(Duration.ofDays(40));
        }

        assertThat(retention.deleteExpiredRuns()).isEqualTo(AuditRetention.MAX_PER_CALL);
        assertThat(retention.deleteExpiredRuns()).isEqualTo(3);
    }

    /**
     * Load run of 2026-12-06 (bb93): a tenant that starts a run as soon as the last one ends starts about 700 an
     * hour, and the hourly call deleted 50; the runs then grew without bound once the first ones expired.
     */
    @Test
    void oneHourlyCallDeletesTheRunsOneTenantCanStartInAnHour() {
        int startedInAnHour = 700;
        for (int i = 0; i < startedInAnHour; i++) {
            runStarted(Duration.ofDays(31));
        }

        assertThat(retention.deleteExpiredRuns()).isEqualTo(startedInAnHour);
        assertThat(runs.startedBefore(now, 1)).isEmpty();
    }

    /** However many are left, a call ends within its time: the next timer goes on. */
    @Test
    void aCallStopsWhenItsTimeIsUp() {
        for (int i = 0; i < 100; i++) {
            runStarted(Duration.ofDays(40));
        }
        Duration perDeletion = Duration.ofSeconds(10);

        int deleted = new AuditRetention(runs, Duration.ofDays(30), slowStorage(perDeletion)).deleteExpiredRuns();

        assertThat(deleted).isEqualTo((int) AuditRetention.MAX_TIME_PER_CALL.dividedBy(perDeletion));
    }

    @Test
    void aRetentionUnderADayOrNotLongerThanStalledAfterIsRefused() {
        assertThatThrownBy(
                        () -> new AuditSettings(1, 1, Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofHours(23)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cmk.audit.retention");
        assertThatThrownBy(() -> new AuditSettings(1, 1, Duration.ofSeconds(1), Duration.ofDays(2), Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Review rv4 M1: first shards running at once (every tenant's schedule firing on the hour) each deleted the same
     * oldest two, so a wave of runs deleted two. Each now takes two at random among the oldest.
     */
    @Test
    void runsDeletingAtOnceMostlyChooseDifferentRuns() {
        List<String> chosen = new ArrayList<>();
        InMemoryAuditRuns seenByEveryone = new InMemoryAuditRuns() {
            @Override
            public boolean delete(AuditRuns.StartedRun run, BooleanSupplier timeIsUp) {
                // Not removed: as each of runs deleting at once still finds them all.
                chosen.add(run.runId());
                return true;
            }
        };
        for (int i = 0; i < AuditRetention.PER_BATCH; i++) {
            seenByEveryone.start(UUID.randomUUID().toString(), now.minus(Duration.ofDays(40 + i)), "timer", null);
        }
        AuditRetention atOnce =
                new AuditRetention(seenByEveryone, Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC));

        for (int run = 0; run < 10; run++) {
            assertThat(atOnce.deleteExpiredRunsAfterARun()).isEqualTo(AuditRetention.PER_RUN);
        }

        assertThat(chosen).hasSize(10 * AuditRetention.PER_RUN);
        assertThat(new HashSet<>(chosen)).hasSizeGreaterThan(10);
    }

    @Test
    void aRunsShareKeepsTheRunsWithinTheRetention() {
        String kept = runStarted(Duration.ofDays(29));
        String expired = runStarted(Duration.ofDays(31));

        assertThat(retention.deleteExpiredRunsAfterARun()).isEqualTo(1);
        assertThat(retention.deleteExpiredRunsAfterARun()).isZero();

        assertThat(runs.exists(expired)).isFalse();
        assertThat(runs.exists(kept)).isTrue();
    }

    /** Review rv4 M2: a run's share starts no second deletion once its time is up; the shard's message waits for it. */
    @Test
    void aRunsShareStartsNoSecondDeletionOnceItsTimeIsUp() {
        runStarted(Duration.ofDays(40));
        runStarted(Duration.ofDays(41));

        AuditRetention slow =
                new AuditRetention(runs, Duration.ofDays(30), slowStorage(AuditRetention.MAX_TIME_PER_RUN));

        assertThat(slow.deleteExpiredRunsAfterARun()).isEqualTo(1);
    }

    /**
     * Review rv4 M2's remainder: one run of many rows took its time whatever the share's; a deletion cut short
     * (its run's own row left for a later one) is not counted, and nothing more is deleted after it.
     */
    @Test
    void aDeletionCutShortIsNotCountedAndEndsTheCall() {
        runStarted(Duration.ofDays(40));
        runStarted(Duration.ofDays(41));
        List<Boolean> timeAskedAbout = new ArrayList<>();
        InMemoryAuditRuns manyRows = new InMemoryAuditRuns() {
            @Override
            public boolean delete(AuditRuns.StartedRun run, BooleanSupplier timeIsUp) {
                timeAskedAbout.add(timeIsUp.getAsBoolean());
                return false;
            }
        };
        manyRows.start(UUID.randomUUID().toString(), now.minus(Duration.ofDays(40)), "timer", null);
        manyRows.start(UUID.randomUUID().toString(), now.minus(Duration.ofDays(41)), "timer", null);
        Clock later = Clock.fixed(now, ZoneOffset.UTC);

        assertThat(new AuditRetention(manyRows, Duration.ofDays(30), later).deleteExpiredRunsAfterARun())
                .isZero();
        assertThat(new AuditRetention(manyRows, Duration.ofDays(30), later).deleteExpiredRuns())
                .isZero();
        assertThat(timeAskedAbout).containsExactly(false, false);
    }

    /** A deletion of many rows is told its time is up when its call's time is: 20 s for a run's share, 2 min a timer. */
    @Test
    void aDeletionIsToldItsTimeIsUpByItsCallsBudget() {
        List<Integer> askedBeforeTimeWasUp = new ArrayList<>();
        InMemoryAuditRuns endless = new InMemoryAuditRuns() {
            @Override
            public boolean delete(AuditRuns.StartedRun run, BooleanSupplier timeIsUp) {
                int asked = 0;
                while (!timeIsUp.getAsBoolean()) {
                    asked++;
                }
                askedBeforeTimeWasUp.add(asked);
                return false;
            }
        };
        endless.start(UUID.randomUUID().toString(), now.minus(Duration.ofDays(40)), "timer", null);
        Duration perTransaction = Duration.ofSeconds(1);

        new AuditRetention(endless, Duration.ofDays(30), slowStorage(perTransaction)).deleteExpiredRunsAfterARun();
        new AuditRetention(endless, Duration.ofDays(30), slowStorage(perTransaction)).deleteExpiredRuns();

        assertThat(askedBeforeTimeWasUp)
                .containsExactly(
                        (int) AuditRetention.MAX_TIME_PER_RUN.dividedBy(perTransaction) - 1,
                        (int) AuditRetention.MAX_TIME_PER_CALL.dividedBy(perTransaction) - 1);
    }

    /** A clock that moves on by {@code perReading} each time it is read, as storage that takes that long would. */
    private Clock slowStorage(Duration perReading) {
        return new Clock() {
            private Instant at = now;

            @Override
            public Instant instant() {
                Instant current = at;
                at = at.plus(perReading);
                return current;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }
}
