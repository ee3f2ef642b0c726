package com.databox.cmk.audit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/** Waiting for the audit's own concurrent work, with its unchecked failures passed on as they were. */
final class Futures {
    private Futures() {}

    /**
     * Waits for another order's work in progress without holding one of the shard's slots meanwhile:
     * a slot bounds the work an order does itself (Key Vault, ARM and Table calls), and an order that
     * held its slot while it waited kept the orders of other pairs from starting theirs. A null
     * {@code heldSlot}: the caller holds none.
     */
    static <T> T joinOthers(Future<T> future, Semaphore heldSlot) {
        if (heldSlot == null || future.isDone()) {
            return join(future);
        }
        heldSlot.release();
        try {
            return join(future);
        } finally {
            heldSlot.acquireUninterruptibly();
        }
    }

    /**
     * Completes {@code future} with {@code work}'s answer, worked out on a virtual thread of its own; completed
     * whatever happens, so that whoever waits for it never waits forever.
     */
    static <T> CompletableFuture<T> completeOnVirtualThread(
            String threadName, CompletableFuture<T> future, Supplier<T> work) {
        Thread.ofVirtual().name(threadName).start(() -> {
            try {
                future.complete(work.get());
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
