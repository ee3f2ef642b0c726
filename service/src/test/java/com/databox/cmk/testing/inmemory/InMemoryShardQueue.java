package com.databox.cmk.testing.inmemory;

import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.audit.ShardQueue;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The shard queue in memory; a test takes shards as the {@code audit-shard} function would. */
public final class InMemoryShardQueue implements ShardQueue {
    private final Queue<AuditShard> queued = new ConcurrentLinkedQueue<>();
    private volatile Runnable beforeEnqueue = () -> {};

    @Override
    public void enqueue(AuditShard shard) {
        beforeEnqueue.run();
        queued.add(shard);
    }

    /** Runs {@code hook} in every enqueue before the shard is queued: to hold it up, or to fail it. */
    public void beforeEnqueue(Runnable hook) {
        beforeEnqueue = hook;
    }

    public Optional<AuditShard> take() {
        return Optional.ofNullable(queued.poll());
    }

    public int size() {
        return queued.size();
    }
}
