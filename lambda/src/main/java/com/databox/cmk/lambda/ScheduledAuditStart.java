package com.databox.cmk.lambda;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.trigger.FunctionTriggers.InvocationResponse;
import com.databox.cmk.trigger.PermissionAuditTimer;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * On Lambda, the timer's start of the permission audit (template.yaml, {@code PermissionAudit}). EventBridge
 * tries an invocation again only when it fails, and an HTTP route's answer, even a {@code 503}, is an
 * invocation that succeeded: a start that Storage failed would leave the day without an audit, where the
 * Functions host retries the timer (its function.json's {@code retry}). So this route tries a start that an
 * outage failed again itself, after the outage's {@code Retry-After} and twice as long each time after, for
 * as long as its budget (under the function's timeout) allows; then it answers the outage.
 *
 * <p>Only EventBridge calls this route: API Gateway forwards nothing but {@code /api/*} to the function.
 */
@Path("/lambda/permission-audit")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class ScheduledAuditStart {
    private static final Logger LOG = Logger.getLogger(ScheduledAuditStart.class);

    /** The first wait when the outage names none. */
    static final Duration FIRST_WAIT = Duration.ofSeconds(5);

    @Inject
    PermissionAuditTimer timer;

    @ConfigProperty(name = "databox.lambda.audit-start-budget", defaultValue = "PT4M")
    Duration budget;

    /** The start's time; a test's own clock moves as it waits. */
    Clock clock = Clock.systemUTC();

    /** How the route waits between tries; a test's returns at once. */
    Sleeper sleeper = Thread::sleep;

    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    @POST
    public InvocationResponse start() {
        Instant deadline = clock.instant().plus(budget);
        Duration wait = FIRST_WAIT;
        for (int attempt = 1; ; attempt++) {
            try {
                return timer.fire();
            } catch (ServiceException failed) {
                if (!failed.code().isTransient()) {
                    throw failed;
                }
                Duration next =
                        failed.retryAfter() != null && failed.retryAfter().compareTo(wait) > 0
                                ? failed.retryAfter()
                                : wait;
                if (clock.instant().plus(next).isAfter(deadline)) {
                    LOG.errorf(
                            "The permission audit's start failed %s time(s), the last with %s; no more tries within %s",
                            attempt, failed.code(), budget);
                    throw failed;
                }
                LOG.warnf(
                        "The permission audit's start failed with %s; trying again in %s s",
                        failed.code(), next.toSeconds());
                pause(next, failed);
                wait = next.multipliedBy(2);
            }
        }
    }

    private void pause(Duration wait, ServiceException failed) {
        try {
            sleeper.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed;
        }
    }
}
