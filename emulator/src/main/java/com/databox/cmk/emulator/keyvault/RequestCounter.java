package com.databox.cmk.emulator.keyvault;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts the authenticated data-plane calls per vault and operation. */
public final class RequestCounter {

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    void count(String vault, String operation) {
        counts.computeIfAbsent(key(vault), v -> new ConcurrentHashMap<>())
                .computeIfAbsent(operation, o -> new LongAdder())
                .increment();
    }

    public RequestCounts counts(String vault) {
        Map<String, Long> byOperation = new TreeMap<>();
        counts.getOrDefault(key(vault), Map.of()).forEach((op, n) -> byOperation.put(op, n.sum()));
        long total = byOperation.values().stream().mapToLong(Long::longValue).sum();
        return new RequestCounts(vault, total, byOperation);
    }

    /** Resets one vault's counts, or all when {@code vault} is null. */
    public void reset(String vault) {
        if (vault == null) {
            counts.clear();
        } else {
            counts.remove(key(vault));
        }
    }

    private static String key(String vault) {
        return vault.toLowerCase(Locale.ROOT);
    }
}
