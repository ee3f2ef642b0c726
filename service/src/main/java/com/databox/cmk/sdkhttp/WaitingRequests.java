package com.databox.cmk.sdkhttp;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bounds the request threads that wait on one dependency at once (Key Vault, Resource Manager). Requests
 * are served by a bounded pool of worker threads, and a dependency that stops answering holds each request
 * that calls it until its deadline: once such requests fill the pool, every other route waits for a
 * thread, those that never call that dependency too (a storage-only read stalled 27 s behind 210 requests
 * waiting on a paused vault). A call beyond the bound is refused at once, so that the pool always has
 * threads left for the rest.
 *
 * <p>Calls made {@linkplain #call(Waiter, Supplier, Function) for a waiter} share the bound out as well (bug bash
 * nn1 F1: one tenant keeping the whole bound waiting on its own slow vault, about 2 requests a second, had every
 * other tenant's call refused, the service's own key's too): one party's calls may hold at most {@link
 * #partyShare()}, and the callers' together at most {@link #callersShare()}, which leaves the rest to the service's
 * own calls. A party's share holds only while the instance is busy (the callers' calls fill half their share or
 * more): a tenant's burst on a quiet instance (twenty changes at once on a healthy vault) is not refused, while a
 * tenant whose vault stops answering still fills no more than half the callers' share before its share holds.
 */
public final class WaitingRequests {
    /** Each dependency's bound: together well under the worker pool's 200 threads (Quarkus's default). */
    public static final int DEFAULT_LIMIT = 64;

    /** Who a call waits for. */
    public sealed interface Waiter<P> {
        /** The service's own call: it counts in the instance's bound only, and has the callers' reserve to itself. */
        record Own<P>() implements Waiter<P> {}

        /** A caller's call, within its party's share when the party is known, and within the callers' share. */
        record Caller<P>(Optional<P> party) implements Waiter<P> {}
    }

    /** The bound a call was refused by. */
    public enum Bound {
        /** Every call of the instance. */
        INSTANCE,
        /** The callers' calls together: the instance's bound less the service's reserve. */
        CALLERS,
        /** The calls of the caller's own party. */
        PARTY
    }

    /** Why a call was not made: the bound that was full, and how many calls it lets wait. */
    public record Refusal(Bound bound, int limit) {}

    private final Semaphore permits;
    private final Semaphore callersPermits;
    private final int limit;
    private final int callersShare;
    private final int partyShare;
    /** The callers' calls waiting from which a party holds no more than its share. */
    private final int busyFrom;

    private final boolean countsVirtualThreads;
    /** Calls waiting per party; a party is here only while it has some, so the map never outgrows the bound. */
    private final ConcurrentHashMap<Object, Integer> waitingByParty = new ConcurrentHashMap<>();

    private WaitingRequests(int limit, boolean countsVirtualThreads) {
        if (limit < 1) {
            throw new IllegalArgumentException("At least one request must be let wait: " + limit);
        }
        this.limit = limit;
        this.callersShare = limit - limit / 4;
        this.partyShare = Math.max(1, limit / 4);
        this.busyFrom = Math.max(partyShare, callersShare / 2);
        this.permits = new Semaphore(limit);
        this.callersPermits = new Semaphore(callersShare);
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
     * already, {@code refusal} at once, without making the call. The instance's bound only.
     */
    public <T> T call(Supplier<T> call, Supplier<? extends RuntimeException> refusal) {
        return call(new Waiter.Own<>(), call, refused -> refusal.get());
    }

    /**
     * The call's answer, made while it counts as waiting for {@code waiter}; or, when one of the bounds that
     * apply to it is full, {@code refusal} of that bound at once, without making the call. A caller's call is
     * counted against its party's share first, then the callers', then the instance's.
     */
    public <P, T> T call(Waiter<P> waiter, Supplier<T> call, Function<Refusal, ? extends RuntimeException> refusal) {
        if (!countsVirtualThreads && Thread.currentThread().isVirtual()) {
            return call.get();
        }
        Optional<P> party = waiter instanceof Waiter.Caller<P> caller ? caller.party() : Optional.empty();
        boolean ofCallers = waiter instanceof Waiter.Caller<P>;
        if (party.isPresent() && !enter(party.get())) {
            throw refusal.apply(new Refusal(Bound.PARTY, partyShare));
        }
        try {
            if (ofCallers && !callersPermits.tryAcquire()) {
                throw refusal.apply(new Refusal(Bound.CALLERS, callersShare));
            }
            try {
                if (!permits.tryAcquire()) {
                    throw refusal.apply(new Refusal(Bound.INSTANCE, limit));
                }
                try {
                    return call.get();
                } finally {
                    permits.release();
                }
            } finally {
                if (ofCallers) {
                    callersPermits.release();
                }
            }
        } finally {
            party.ifPresent(this::leave);
        }
    }

    /** Counts one more call of the party, unless it has its share waiting already while the instance is busy. */
    private boolean enter(Object party) {
        AtomicBoolean entered = new AtomicBoolean();
        waitingByParty.compute(party, (p, waiting) -> {
            int now = waiting == null ? 0 : waiting;
            if (now >= partyShare && callersShare - callersPermits.availablePermits() >= busyFrom) {
                return waiting;
            }
            entered.set(true);
            return now + 1;
        });
        return entered.get();
    }

    /** Counts one call of the party less; a party with none left is forgotten. */
    private void leave(Object party) {
        waitingByParty.computeIfPresent(party, (p, waiting) -> waiting > 1 ? waiting - 1 : null);
    }

    public int limit() {
        return limit;
    }

    /** How many calls the callers' together may have waiting: the bound less a quarter kept for the service's own. */
    public int callersShare() {
        return callersShare;
    }

    /**
     * How many calls one party may have waiting while the instance is busy: a quarter of the bound, at least one. On
     * a quiet instance it may have more, up to half the callers' share.
     */
    public int partyShare() {
        return partyShare;
    }

    /** How many parties have calls waiting now. */
    public int partiesWaiting() {
        return waitingByParty.size();
    }
}
