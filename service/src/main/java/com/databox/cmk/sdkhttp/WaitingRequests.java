package com.databox.cmk.sdkhttp;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds the request threads that wait on one dependency at once (Key Vault, Resource Manager). Requests
 * are served by a bounded pool of worker threads, and a dependency that stops answering holds each request
 * that calls it until its deadline: once such requests fill the pool, every other route waits for a
 * thread, those that never call that dependency too (a storage-only read stalled 27 s behind 210 requests
 * waiting on a paused vault). A call beyond the bound is refused at once, so that the pool always has
 * threads left for the rest.
 */
public final class WaitingRequests {
    /** Each dependency's bound: together well under the worker pool's 200 threads (Quarkus's default). */
    public static final int DEFAULT_LIMIT = 64;

    private final Semaphore permits;
    private final int limit;
    private final boolean countsVirtualThreads;

    private WaitingRequests(int limit, boolean countsVirtualThreads) {
        if (limit < 1) {
            throw new IllegalArgumentException("At least one request must be let wait: " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
        this.countsVirtualThreads = countsVirtualThreads;
    }

    /**
     * Counts the calls of worker threads only: a virtual thread holds no worker, and the audit's many calls
     * at once (Key Vault's) would otherwise refuse the requests made meanwhile.
     */
    public static WaitingRequests ofWorkers(int limit) {
        return new WaitingRequests(limit, false);
    }

    /**
     * Counts every call, a virtual thread's too: for a dependency a request calls on a thread of its own while
     * it waits for the answer (Resource Manager's lookups run beside the vault calls).
     */
    public static WaitingRequests ofAllThreads(int limit) {
        return new WaitingRequests(limit, true);
    }

    /**
     * The call's answer, made while it counts as waiting; or, with {@link #limit} requests waiting
     * already, {@code refusal} at once, without making the call.
     */
    public <T> T call(Supplier<T> call, Supplier<? extends RuntimeException> refusal) {
        if (!countsVirtualThreads && Thread.currentThread().isVirtual()) {
            return call.get();
        }
        if (!permits.tryAcquire()) {
            throw refusal.get();
        }
        try {
            return call.get();
        } finally {
            permits.release();
        }
    }

    public int limit() {
        return limit;
    }
}
