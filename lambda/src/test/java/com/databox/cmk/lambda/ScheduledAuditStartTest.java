package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.trigger.FunctionTriggers.InvocationResponse;
import com.databox.cmk.trigger.PermissionAuditTimer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The timer's start on Lambda tries a start an outage failed again itself, since EventBridge sees the
 * route's {@code 503} as an invocation that succeeded: after the outage's {@code Retry-After}, twice as long
 * each time, within its budget; anything else fails at once.
 */
class ScheduledAuditStartTest {
    private final List<Duration> waits = new ArrayList<>();
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private int starts;
    private final ScheduledAuditStart route = new ScheduledAuditStart();

    ScheduledAuditStartTest() {
        route.timer = new PermissionAuditTimer() {
            @Override
            public InvocationResponse fire() {
                starts++;
                RuntimeException failure = failures.poll();
                if (failure != null) {
                    throw failure;
                }
                return new InvocationResponse(Map.of(), List.of(), "run-" + starts);
            }
        };
        route.budget = Duration.ofMinutes(4);
        route.clock = Clock.fixed(Instant.parse("2026-12-04T02:00:00Z"), ZoneOffset.UTC);
        // Waiting moves the route's clock on by the wait.
        route.sleeper = millis -> {
            waits.add(Duration.ofMillis(millis));
            route.clock = Clock.offset(route.clock, Duration.ofMillis(millis));
        };
    }

    @Test
    void aStartAnOutageFailedIsTriedAgainUntilItStarts() {
        failures.add(outage(Duration.ofSeconds(5)));
        failures.add(outage(Duration.ofSeconds(5)));

        InvocationResponse started = route.start();

        assertThat(started.ReturnValue()).isEqualTo("run-3");
        assertThat(waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Test
    void anOutageThatOutlastsTheBudgetIsAnsweredOnceTheNextWaitWouldPassIt() {
        for (int i = 0; i < 20; i++) {
            failures.add(outage(Duration.ofSeconds(5)));
        }

        assertThatThrownBy(route::start)
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.StorageUnavailable));

        // 5 + 10 + 20 + 40 + 80 = 155 s waited; 160 more would pass the 4 minutes.
        assertThat(waits).hasSize(5);
        assertThat(starts).isEqualTo(6);
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(route.budget);
    }

    @Test
    void aLongerRetryAfterIsWaitedForInFull() {
        failures.add(outage(Duration.ofSeconds(30)));

        route.start();

        assertThat(waits).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void aFailureThatIsNoOutageIsNotTriedAgain() {
        failures.add(new ServiceException(ErrorCode.InternalError, "a bug", null));

        assertThatThrownBy(route::start).hasMessage("a bug");
        assertThat(starts).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    private static ServiceException outage(Duration retryAfter) {
        return new ServiceException(ErrorCode.StorageUnavailable, "Storage is unavailable.", null, retryAfter, null);
    }
}
