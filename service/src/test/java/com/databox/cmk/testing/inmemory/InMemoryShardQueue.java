package com.databox.cmk.testing.inmemory;

import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.audit.ShardQueue;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The shard queue in memory; a test takes shards as the {@code audit-shard} function would. */
public final class InMemoryShardQueue implements ShardQueue {
    private final Queue<AuditShard> queued = new ConcurrentLinkedQueue<>();

    @Override
    public void enqueue(AuditShard shard) {
        queued.add(shard);
    }

    public Optional<AuditShard> take() {
        return Optional.ofNullable(queued.poll());
    }

    public int size() {
        return queued.size();
    }
}
