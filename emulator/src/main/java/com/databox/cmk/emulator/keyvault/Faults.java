package com.databox.cmk.emulator.keyvault;

import java.util.ArrayList;
import java.util.List;

/** Injected faults: the next {@code count} matching calls answer a status and/or are delayed. */
public final class Faults {

    /** A fault; a null vault or operation matches every one; status 0 only delays. */
    public record Fault(String vault, String operation, int status, int count, int retryAfterSeconds, long delayMs) {

        public Fault {
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1");
            }
            if (status != 0 && (status < 400 || status > 599)) {
                throw new IllegalArgumentException("status must be an error status (400-599), was " + status);
            }
            if (status == 0 && delayMs <= 0) {
                throw new IllegalArgumentException("a fault needs a status or a delayMs");
            }
            if (retryAfterSeconds < 0 || delayMs < 0) {
                throw new IllegalArgumentException("retryAfterSeconds and delayMs cannot be negative");
            }
        }

        boolean matches(String vaultName, String op) {
            return (vault == null || vault.equalsIgnoreCase(vaultName))
                    && (operation == null || operation.equalsIgnoreCase(op));
        }
    }

    private final List<Fault> pending = new ArrayList<>();

    public synchronized void add(Fault fault) {
        pending.add(fault);
    }

    public synchronized List<Fault> pending() {
        return List.copyOf(pending);
    }

    public synchronized void clear() {
        pending.clear();
    }

    /** Takes one use of the first matching fault, if any. */
    synchronized Fault take(String vault, String operation) {
        return take(fault -> fault.matches(vault, operation));
    }

    /**
     * Takes one use of the first fault that names {@code operation} itself and matches {@code scope}
     * (a tenant, say): for calls that are not Key Vault's, which a fault for every operation must not reach.
     */
    public synchronized Fault takeNamed(String scope, String operation) {
        return take(fault -> operation.equalsIgnoreCase(fault.operation()) && fault.matches(scope, operation));
    }

    private Fault take(java.util.function.Predicate<Fault> matching) {
        for (int i = 0; i < pending.size(); i++) {
            Fault fault = pending.get(i);
            if (matching.test(fault)) {
                if (fault.count() == 1) {
                    pending.remove(i);
                } else {
                    pending.set(
                            i,
                            new Fault(
                                    fault.vault(),
                                    fault.operation(),
                                    fault.status(),
                                    fault.count() - 1,
                                    fault.retryAfterSeconds(),
                                    fault.delayMs()));
                }
                return fault;
            }
        }
        return null;
    }

    /** Applies a matching fault: waits its delay, then throws its status if it has one. */
    void apply(String vault, String operation) {
        Fault fault = take(vault, operation);
        if (fault == null) {
            return;
        }
        if (fault.delayMs() > 0) {
            try {
                Thread.sleep(fault.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fault.status() != 0) {
            throw DataPlaneErrors.status(fault.status(), fault.retryAfterSeconds());
        }
    }
}
