package com.databox.cmk.sdkhttp;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The Vert.x instance's handler of uncaught exceptions, less one that is no failure of ours.
 *
 * <p>azure-core-http-vertx (1.1.4, the newest) hands a call's failure to its promise from two
 * listeners, the response's (with its response timeout) and the request's
 * ({@code onFailure(promise::fail)} on each). A call that times out, and whose connection closes
 * later (the server closes it, or the client once idle), fails that promise a second time: Vert.x
 * reports the second as an uncaught {@code IllegalStateException: Result is already complete}, which
 * Quarkus logs at ERROR with its stack trace, minutes after the call was answered. The call had
 * failed once, and was retried or answered by then; the second failure carries nothing. So it is
 * logged at DEBUG here, and every other exception goes to the handler it had before, as it did.
 */
final class RepeatedPromiseFailures implements Handler<Throwable> {
    private static final Logger LOG = Logger.getLogger(RepeatedPromiseFailures.class);
    private static final String ALREADY_COMPLETE = "Result is already complete";

    private final Handler<Throwable> before;
    private final AtomicLong ignored = new AtomicLong();

    private RepeatedPromiseFailures(Handler<Throwable> before) {
        this.before = before;
    }

    /** Installs the handler on {@code vertx} once, in front of the one it has (Quarkus' own). */
    static void installOn(Vertx vertx) {
        synchronized (RepeatedPromiseFailures.class) {
            Handler<Throwable> current = vertx.exceptionHandler();
            if (!(current instanceof RepeatedPromiseFailures)) {
                vertx.exceptionHandler(new RepeatedPromiseFailures(current));
            }
        }
    }

    @Override
    public void handle(Throwable uncaught) {
        if (isRepeatedFailure(uncaught)) {
            ignored.incrementAndGet();
            LOG.debugf(
                    uncaught, "A call's promise failed again after its first failure (azure-core-http-vertx); ignored");
        } else if (before != null) {
            before.handle(uncaught);
        } else {
            // What Vert.x itself does when its instance has no handler.
            LOG.error("Unhandled exception", uncaught);
        }
    }

    /** How many repeated failures were left out. */
    long ignored() {
        return ignored.get();
    }

    /** A promise failed when already complete: thrown by {@link Promise#fail} itself, nothing else. */
    static boolean isRepeatedFailure(Throwable uncaught) {
        if (!(uncaught instanceof IllegalStateException) || !ALREADY_COMPLETE.equals(uncaught.getMessage())) {
            return false;
        }
        StackTraceElement[] stack = uncaught.getStackTrace();
        return stack.length > 0
                && Promise.class.getName().equals(stack[0].getClassName())
                && "fail".equals(stack[0].getMethodName());
    }
}
