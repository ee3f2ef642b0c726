package com.databox.cmk.app;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Tells the {@link LocalShardDispatcher} that this instance has just queued a shard, so that it takes
 * it at once instead of at its next poll of an idle queue: an audit's shards queue one another, page
 * after page, and a poll's wait for each would add up over a run.
 */
@ApplicationScoped
public class ShardsQueuedHere {
    private final Semaphore queued = new Semaphore(0);

    void queued() {
        queued.release();
    }

    /** Waits until a shard is queued here, at most {@code timeout}; any number queued meanwhile wakes it once. */
    void await(Duration timeout) throws InterruptedException {
        queued.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        queued.drainPermits();
    }
}
