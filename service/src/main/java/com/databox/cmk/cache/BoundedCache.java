package com.databox.cmk.cache;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * At most {@code maxEntries} values, each dropped once unused for {@code maxIdle}; when full, the
 * least recently used goes first. A value is made outside the cache's lock (a factory may call out);
 * when two callers make one for the same key at once, the first stored is kept.
 */
public final class BoundedCache<K, V> {
    private static final class Slot<V> {
        private final V value;
        private long lastUsed;

        private Slot(V value, long lastUsed) {
            this.value = value;
            this.lastUsed = lastUsed;
        }
    }

    private final int maxEntries;
    private final long maxIdleNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<K, Slot<V>> entries;

    public BoundedCache(int maxEntries, Duration maxIdle) {
        this(maxEntries, maxIdle, System::nanoTime);
    }

    /** With the clock a test moves. */
    public BoundedCache(int maxEntries, Duration maxIdle, LongSupplier nanoTime) {
        if (maxEntries < 1 || maxIdle.isNegative() || maxIdle.isZero()) {
            throw new IllegalArgumentException("A bounded cache needs room for one entry and a positive idle time");
        }
        this.maxEntries = maxEntries;
        this.maxIdleNanos = maxIdle.toNanos();
        this.nanoTime = nanoTime;
        // Access order: the eldest entry is the least recently used one.
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
                return size() > BoundedCache.this.maxEntries;
            }
        };
    }

    /** The value for {@code key}, made by {@code create} when there is none or it was idle too long. */
    public V get(K key, Function<? super K, ? extends V> create) {
        return get(key, value -> true, create);
    }

    /**
     * As {@link #get(Object, Function)}, and a value that is no longer {@code usable} (one that
     * expires by a time of its own, say) counts as none and is replaced by a new one. A
     * {@code create} that throws stores nothing.
     */
    public V get(K key, Predicate<? super V> usable, Function<? super K, ? extends V> create) {
        synchronized (entries) {
            long now = nanoTime.getAsLong();
            dropIdle(now);
            Slot<V> entry = entries.get(key);
            if (entry != null && usable.test(entry.value)) {
                entry.lastUsed = now;
                return entry.value;
            }
        }
        V made = create.apply(key);
        synchronized (entries) {
            long now = nanoTime.getAsLong();
            Slot<V> entry = entries.get(key);
            if (entry == null || !usable.test(entry.value)) {
                entry = new Slot<>(made, now);
                entries.put(key, entry);
            }
            entry.lastUsed = now;
            return entry.value;
        }
    }

    /** The value for {@code key} if there is one, nothing made when there is none; a use of it, as {@link #get} is. */
    public Optional<V> find(K key) {
        synchronized (entries) {
            long now = nanoTime.getAsLong();
            dropIdle(now);
            Slot<V> entry = entries.get(key);
            if (entry == null) {
                return Optional.empty();
            }
            entry.lastUsed = now;
            return Optional.of(entry.value);
        }
    }

    public int size() {
        synchronized (entries) {
            dropIdle(nanoTime.getAsLong());
            return entries.size();
        }
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** The eldest entries are the least recently used: stop at the first one still in use. */
    private void dropIdle(long now) {
        for (Iterator<Slot<V>> it = entries.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastUsed <= maxIdleNanos) {
                return;
            }
            it.remove();
        }
    }
}
