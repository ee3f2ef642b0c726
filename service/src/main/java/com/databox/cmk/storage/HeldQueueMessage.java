package com.databox.cmk.storage;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueErrorCode;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * A queue message taken for work, kept invisible while the work runs, as the Functions host keeps
 * a queue trigger's message: its visibility is renewed every third of it until the message is
 * deleted or let go. So a taken message's visibility can be short: a message whose receive answer
 * was lost, or whose worker died, is back on the queue after one visibility, not after the longest
 * any work could take.
 *
 * <p>Each renewal gives the message a new pop receipt, which the delete needs: renewing and deleting
 * take turns under one lock, so a delete never uses a receipt that a renewal has just replaced.
 */
public final class HeldQueueMessage implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HeldQueueMessage.class);

    /**
     * How long a message taken for work stays invisible without a renewal: a shard whose receive answer
     * was lost, or whose instance stopped, is taken again after this (5 minutes until 2026-12-02, which
     * stalled an audit run that long).
     */
    public static final Duration VISIBILITY = Duration.ofSeconds(30);

    private final QueueClient queue;
    private final QueueMessageItem message;
    private final Duration visibility;
    private final ReentrantLock turn = new ReentrantLock();
    private final Thread renewer;
    private String popReceipt;
    private boolean released;

    private HeldQueueMessage(QueueClient queue, QueueMessageItem message, Duration visibility) {
        this.queue = queue;
        this.message = message;
        this.visibility = visibility;
        this.popReceipt = message.getPopReceipt();
        this.renewer = Thread.ofVirtual()
                .name("queue-message-renewal-" + message.getMessageId())
                .unstarted(this::renewUntilReleased);
    }

    /**
     * Takes at most {@code max} messages from {@code queue}, invisible to others for {@code visibility},
     * and holds each until its {@link #delete()} or {@link #close()}.
     */
    public static List<HeldQueueMessage> receive(QueueClient queue, int max, Duration visibility) {
        return queue.receiveMessages(max, visibility, null, null).stream()
                .map(message -> {
                    HeldQueueMessage held = new HeldQueueMessage(queue, message, visibility);
                    held.renewer.start();
                    return held;
                })
                .toList();
    }

    public QueueMessageItem message() {
        return message;
    }

    /** The queue it was taken from. */
    public String queueName() {
        return queue.getQueueName();
    }

    /** Deletes the message (its work is done) with its latest pop receipt, and stops renewing it. */
    public void delete() {
        turn.lock();
        try {
            released = true;
            queue.deleteMessage(message.getMessageId(), popReceipt);
        } finally {
            turn.unlock();
            renewer.interrupt();
        }
    }

    /**
     * Lets the message go, visible again at once: work not started (a drain out of time) is taken by the
     * next receiver without waiting out the visibility. When the update fails the message comes back
     * after its visibility all the same.
     */
    public void giveBack() {
        turn.lock();
        try {
            if (!released) {
                released = true;
                queue.updateMessage(message.getMessageId(), popReceipt, null, Duration.ZERO);
            }
        } catch (RuntimeException e) {
            LOG.debugf(
                    e,
                    "Giving queue message %s back failed; it comes back after its visibility",
                    message.getMessageId());
        } finally {
            turn.unlock();
            renewer.interrupt();
        }
    }

    /** Lets the message go without deleting it: it is back on the queue once its visibility runs out. */
    @Override
    public void close() {
        turn.lock();
        try {
            released = true;
        } finally {
            turn.unlock();
            renewer.interrupt();
        }
    }

    private void renewUntilReleased() {
        Duration every = visibility.dividedBy(3);
        while (true) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            turn.lock();
            try {
                if (released) {
                    return;
                }
                // No text: only the visibility changes.
                popReceipt = queue.updateMessage(message.getMessageId(), popReceipt, null, visibility)
                        .getPopReceipt();
            } catch (QueueStorageException e) {
                if (e.getStatusCode() == 404 || QueueErrorCode.POP_RECEIPT_MISMATCH.equals(e.getErrorCode())) {
                    // Deleted, or taken by another receiver after its visibility ran out: no longer ours to hold.
                    LOG.warnf("Queue message %s is no longer held: %s", message.getMessageId(), e.getErrorCode());
                    return;
                }
                LOG.debugf(e, "Renewing queue message %s failed; trying again", message.getMessageId());
            } catch (RuntimeException e) {
                // The renewal before the visibility runs out tries again (two more within it).
                LOG.debugf(e, "Renewing queue message %s failed; trying again", message.getMessageId());
            } finally {
                turn.unlock();
            }
        }
    }
}
