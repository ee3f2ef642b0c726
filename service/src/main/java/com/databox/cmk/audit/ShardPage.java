package com.databox.cmk.audit;

import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.order.UnreadableOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A shard's page of orders, and the queuing of the shard after it (or the recording of the run's shard
 * count, after its last page), which goes on while the orders are audited. {@code unreadable}: the page's orders
 * whose stored rows cannot be read again (damaged), which the shard counts rather than audits.
 */
record ShardPage(List<OrderKeyState> orders, List<UnreadableOrder> unreadable, CompletableFuture<Boolean> nextQueued) {
    /**
     * Waits until the shard after this one is queued. A shard is recorded done only then: one that
     * failed to queue its next is delivered again, and so queues it.
     */
    void awaitNextQueued() {
        Futures.join(nextQueued);
    }

    /** Whether this page was its run's last, which recorded the run's shard count; once {@link #awaitNextQueued}. */
    boolean wasLast() {
        return Futures.join(nextQueued);
    }
}
