package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.testing.inmemory.InMemoryAuditRuns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
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
        Clock slowStorage = new Clock() {
            private Instant at = now;

            @Override
            public Instant instant() {
                Instant current = at;
                at = at.plus(perDeletion);
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

        int deleted = new AuditRetention(runs, Duration.ofDays(30), slowStorage).deleteExpiredRuns();

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
}
