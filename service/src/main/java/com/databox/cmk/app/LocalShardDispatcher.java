package com.databox.cmk.app;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.databox.cmk.error.FailuresInLog;
import com.databox.cmk.storage.HeldQueueMessage;
import com.databox.cmk.storage.StorageCalls;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Plays the Functions host's queue trigger where there is no host (the local stack): takes
 * audit shards from the queue and audits them in-process. Off unless
 * {@code cmk.audit.local-queue-dispatch} is true; on Azure the {@code audit-shard} function does this.
 */
@ApplicationScoped
public class LocalShardDispatcher {
    private static final Logger LOG = Logger.getLogger(LocalShardDispatcher.class);
    /** How often an idle queue is polled when no shard is queued by this instance meanwhile. */
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);

    private static final Duration FIRST_POLL_AFTER = Duration.ofSeconds(5);

    @Inject
    CmkConfig config;

    @Inject
    StorageClients storage;

    @Inject
    QueuedShardAudits shards;

    @Inject
    ShardsQueuedHere shardsQueued;

    /** How long a taken shard stays invisible without a renewal (a test shortens it). */
    Duration visibility = HeldQueueMessage.VISIBILITY;

    private volatile Thread worker;

    /** Set at shutdown; the worker takes no more shards once it sees it. */
    private volatile boolean stopping;

    /** Whether the worker is inside a storage call, which an interrupt would break mid-request. */
    private volatile boolean calling;

    /** How long shutdown waits for a storage call in flight before interrupting it. */
    private static final Duration CALL_GRACE = Duration.ofSeconds(5);

    /**
     * The queue is reached from the worker, not here: a Storage that is not answering yet (the local
     * stack starts Azurite just before the app) must not fail the app's start, and the loop below
     * tries again anyway.
     */
    void onStart(@Observes StartupEvent start) {
        if (config.audit().localQueueDispatch()) {
            // Creating the queue is a round trip (and class loading) the first request does not need.
            worker = Thread.ofVirtual().name("local-shard-dispatcher").start(this::dispatch);
        }
    }

    /**
     * Stops the worker. A storage call in flight is let finish first: interrupted, the SDK logs it as
     * an ERROR ("Error Occurred After Shutdown") in every local run stopped at the wrong moment.
     */
    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
        Thread running = worker;
        if (running == null) {
            return;
        }
        if (calling) {
            try {
                running.join(CALL_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.interrupt();
    }

    private void dispatch() {
        try {
            // The start is the first request's time: the queue is reached once a shard is queued here or
            // the app has been up a while, whichever comes first.
            shardsQueued.await(FIRST_POLL_AFTER);
        } catch (InterruptedException e) {
            return;
        }
        QueueClient queue = connect();
        if (queue == null) {
            return;
        }
        StorageCalls calls = StorageCalls.forQueue(queue, StorageCalls.RETRY_AFTER);
        // As many as the instance audits at once (cmk.audit.shards-at-once), as the Functions host's queue
        // trigger hands over up to host.json's batchSize plus newBatchThreshold.
        Semaphore free = new Semaphore(config.audit().shardsAtOnce());
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            int taken = 0;
            try {
                // Takes as many messages as there are free slots, and more as soon as a shard is done.
                free.acquire();
                taken = 1 + free.drainPermits();
                int wanted = taken;
                // Marked before the check, so that shutdown either sees the call or the call sees shutdown.
                calling = true;
                List<HeldQueueMessage> received;
                try {
                    if (stopping) {
                        return;
                    }
                    received = calls.call(() -> HeldQueueMessage.receive(queue, wanted, visibility));
                } finally {
                    calling = false;
                }
                for (HeldQueueMessage held : received) {
                    taken--;
                    Thread.ofVirtual()
                            .name("audit-shard-" + held.message().getMessageId())
                            .start(() -> {
                                try (held) {
                                    shards.audit(held);
                                } finally {
                                    free.release();
                                }
                            });
                }
                free.release(taken);
                taken = 0;
                if (received.size() < wanted) {
                    // The queue had no more: asking again at once would find it empty (a receive each shard).
                    shardsQueued.await(IDLE_POLL);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                free.release(taken);
                LOG.warn("Taking audit shards from the queue failed; trying again", FailuresInLog.trimmed(e));
                sleepQuietly();
            }
        }
    }

    /** The queue's client (StorageCalls creates the queue when missing); null when stopped first. */
    private QueueClient connect() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                return storage.queue(config.storage().auditShardsQueue(), QueueMessageEncoding.BASE64);
            } catch (RuntimeException e) {
                LOG.warn("Reaching the audit shard queue failed; trying again", FailuresInLog.trimmed(e));
                sleepQuietly();
            }
        }
        return null;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
