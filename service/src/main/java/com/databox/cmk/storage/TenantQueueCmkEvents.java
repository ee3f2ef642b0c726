package com.databox.cmk.storage;

import com.azure.storage.queue.QueueClient;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.outbox.CmkEvents;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.function.Function;

/**
 * Each tenant's events on a queue of its own, {@code {prefix}-{tenant ID without hyphens}}: a
 * Storage queue hands each message to whichever reader takes it first, so one queue shared by
 * tenants gave every subscriber the other tenants' events (and took them from them). The operator
 * gives each tenant's Logic App access to its queue only. A queue is created on its tenant's first
 * event; at most {@link #MAX_TENANTS} tenants' clients are kept at once.
 */
public final class TenantQueueCmkEvents implements CmkEvents {
    static final int MAX_TENANTS = 1024;
    static final Duration IDLE = Duration.ofHours(1);

    private final String prefix;
    private final Function<String, QueueClient> queues;
    private final ObjectMapper json;
    private final BoundedCache<TenantId, QueueCmkEvents> tenants = new BoundedCache<>(MAX_TENANTS, IDLE);

    /** @param queues the client of the queue of a name (not created yet) */
    public TenantQueueCmkEvents(String prefix, Function<String, QueueClient> queues, ObjectMapper json) {
        this.prefix = prefix;
        this.queues = queues;
        this.json = json;
    }

    /** The longest prefix that leaves room for the tenant: a queue name is at most 63 characters. */
    static final int MAX_PREFIX = 30;

    /**
     * Refuses a prefix that makes no valid queue name with every tenant: Storage refuses the name ({@code 400
     * OutOfRangeInput}, {@code InvalidResourceName}) and every event then stays in the outbox.
     */
    public static void requireValidPrefix(String prefix) {
        if (prefix == null || prefix.length() > MAX_PREFIX || !prefix.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("cmk.storage.events-queue must be 1 to " + MAX_PREFIX
                    + " lower-case letters, digits and single hyphens, starting and ending with a letter or digit"
                    + " (each tenant's queue is {prefix}-{tenant ID without hyphens}), not '" + prefix + "'");
        }
    }

    /** The queue of {@code tenant}'s events: 3 to 63 lower-case letters, digits and single hyphens, as Storage requires. */
    public static String queueName(String prefix, TenantId tenant) {
        return prefix + "-" + tenant.value().replace("-", "");
    }

    @Override
    public void publish(CmkEvent event) {
        tenants.get(event.order().tenant(), this::created).publish(event);
    }

    private QueueCmkEvents created(TenantId tenant) {
        QueueClient queue = queues.apply(queueName(prefix, tenant));
        StorageCalls.forQueue(queue, StorageCalls.RETRY_AFTER).run(queue::createIfNotExists);
        return new QueueCmkEvents(queue, json);
    }
}
