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
 * At most {@code maxEntries} values, each dropped once unused for {@code maxIdle}. A value is made
 * outside the cache's lock (a factory may call out); when two callers make one for the same key at
 * once, the first stored is kept.
 *
 * <p>When full, a segmented LRU decides what goes: a new value is kept on probation, and moves to the
 * protected part (at most four fifths of the cache) when it is used again. What goes first is the
 * least recently used value on probation; a protected value goes only when the protected part is
 * full, or when nothing is on probation. So keys used once each, however many (a caller sending
 * ever new key URLs, application IDs or tokens), push out only one another, never the values the
 * service keeps using for its callers.
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
    private final int maxProtected;
    private final long maxIdleNanos;
    private final LongSupplier nanoTime;
    /** Access order in both: the eldest entry is the least recently used one. */
    private final LinkedHashMap<K, Slot<V>> probation = new LinkedHashMap<>(16, 0.75f, true);

    private final LinkedHashMap<K, Slot<V>> protectedPart = new LinkedHashMap<>(16, 0.75f, true);

    public BoundedCache(int maxEntries, Duration maxIdle) {
        this(maxEntries, maxIdle, System::nanoTime);
    }

    /** With the clock a test moves. */
    public BoundedCache(int maxEntries, Duration maxIdle, LongSupplier nanoTime) {
        if (maxEntries < 1 || maxIdle.isNegative() || maxIdle.isZero()) {
            throw new IllegalArgumentException("A bounded cache needs room for one entry and a positive idle time");
        }
        this.maxEntries = maxEntries;
        this.maxProtected = maxEntries - Math.max(1, maxEntries / 5);
        this.maxIdleNanos = maxIdle.toNanos();
        this.nanoTime = nanoTime;
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
        synchronized (this) {
            long now = nanoTime.getAsLong();
            dropIdle(now);
            Slot<V> entry = use(key, now);
            if (entry != null && usable.test(entry.value)) {
                return entry.value;
            }
        }
        V made = create.apply(key);
        synchronized (this) {
            long now = nanoTime.getAsLong();
            Slot<V> entry = slot(key);
            if (entry == null || !usable.test(entry.value)) {
                Slot<V> fresh = new Slot<>(made, now);
                if (protectedPart.containsKey(key)) {
                    protectedPart.put(key, fresh);
                } else {
                    probation.put(key, fresh);
                    evictBeyondSize();
                }
                return made;
            }
            entry.lastUsed = now;
            return entry.value;
        }
    }

    /** The value for {@code key} if there is one, nothing made when there is none; a use of it, as {@link #get} is. */
    public Optional<V> find(K key) {
        synchronized (this) {
            long now = nanoTime.getAsLong();
            dropIdle(now);
            return Optional.ofNullable(use(key, now)).map(entry -> entry.value);
        }
    }

    public synchronized int size() {
        dropIdle(nanoTime.getAsLong());
        return probation.size() + protectedPart.size();
    }

    private Slot<V> slot(K key) {
        Slot<V> entry = protectedPart.get(key);
        return entry != null ? entry : probation.get(key);
    }

    /** The entry, now used: a value on probation used again moves to the protected part. */
    private Slot<V> use(K key, long now) {
        Slot<V> entry = protectedPart.get(key);
        if (entry == null && maxProtected == 0) {
            entry = probation.get(key); // a cache of one value: no protected part
        } else if (entry == null) {
            entry = probation.remove(key);
            if (entry == null) {
                return null;
            }
            protectedPart.put(key, entry);
            if (protectedPart.size() > maxProtected) {
                dropEldest(protectedPart);
            }
        }
        if (entry != null) {
            entry.lastUsed = now;
        }
        return entry;
    }

    private void evictBeyondSize() {
        while (probation.size() + protectedPart.size() > maxEntries) {
            dropEldest(probation.isEmpty() ? protectedPart : probation);
        }
    }

    private void dropEldest(LinkedHashMap<K, Slot<V>> part) {
        Iterator<Map.Entry<K, Slot<V>>> eldest = part.entrySet().iterator();
        eldest.next();
        eldest.remove();
    }

    /** In each part the eldest entries are the least recently used: stop at the first one still in use. */
    private void dropIdle(long now) {
        dropIdle(probation, now);
        dropIdle(protectedPart, now);
    }

    private void dropIdle(LinkedHashMap<K, Slot<V>> part, long now) {
        for (Iterator<Slot<V>> it = part.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastUsed <= maxIdleNanos) {
                return;
            }
            it.remove();
        }
    }
}
