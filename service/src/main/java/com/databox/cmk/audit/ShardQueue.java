package com.databox.cmk.audit;

/** The queue that spreads an audit over Functions instances (the {@code audit-shard} function reads it). */
public interface ShardQueue {
    void enqueue(AuditShard shard);
}
