package com.databox.cmk.keyvault;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * SDK clients of one (key or vault, identity), each lent to one call at a time and kept for the next,
 * at most {@code maxIdle} of them.
 *
 * <p>Why a client is never shared by calls in flight at once: its pipeline's bearer-token policy
 * (azure-core 1.58's {@code AccessTokenCache}, which Key Vault's challenge policy asks with
 * {@code checkToForceFetchToken}) answers a call that meets another call's token look-up in progress
 * with nothing, and looks again 500 ms later, even with a valid token cached. So two calls at once on
 * one client stalled one of them by half a second: in the audit, the ten pairs' key reads on the
 * vault's one key client stalled a run now and then (issue 16). A client lent alone never meets
 * another call's look-up; a call that finds none idle gets a new one, which asks its identity's
 * credential for a token once.
 */
final class ClientPool<C> {
    private final int maxIdle;
    private final Supplier<C> make;
    private final Deque<C> idle = new ArrayDeque<>();

    /** {@code maxIdle}: clients kept for the next calls, as many calls at once as are common; a burst beyond makes more. */
    ClientPool(int maxIdle, Supplier<C> make) {
        this.maxIdle = maxIdle;
        this.make = make;
    }

    /** {@code call} on a client of its own, from its subscription until it ends, fails or is cancelled. */
    <T> Mono<T> lend(Function<C, Mono<T>> call) {
        return Mono.defer(() -> {
            C client = borrow();
            return call.apply(client).doFinally(signal -> giveBack(client));
        });
    }

    private C borrow() {
        synchronized (idle) {
            C client = idle.pollFirst();
            if (client != null) {
                return client;
            }
        }
        return make.get();
    }

    /** How many clients wait for the next calls now. */
    int idle() {
        synchronized (idle) {
            return idle.size();
        }
    }

    private void giveBack(C client) {
        synchronized (idle) {
            if (idle.size() < maxIdle) {
                idle.addFirst(client);
            }
        }
    }
}
