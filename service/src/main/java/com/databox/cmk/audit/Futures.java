package com.databox.cmk.audit;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the audit's own concurrent work, with its unchecked failures passed on as they were. */
final class Futures {
    private Futures() {}

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
