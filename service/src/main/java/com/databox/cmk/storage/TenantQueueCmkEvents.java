package com.databox.cmk.storage;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.outbox.CmkEvents;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(TenantQueueCmkEvents.class);
    /** How long the shared queue of earlier releases is not asked again once found empty. */
    static final Duration SHARED_QUEUE_QUIET = Duration.ofHours(1);
    /** How long a message taken from it stays invisible to another instance's move. */
    private static final Duration SHARED_QUEUE_HOLD = Duration.ofMinutes(1);

    private volatile long sharedQueueQuietSince = System.nanoTime() - SHARED_QUEUE_QUIET.toNanos();

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

    /**
     * Moves the events that a release before 2026-12-04 left unread on the one queue every tenant shared, named the
     * prefix itself, to their tenants' own queues (by each CloudEvent's {@code tenantid}), never expiring: no tenant
     * may be given that queue, and its messages expired after 7 days, the only word a customer had that an order was
     * held for its key among them (bug bash of 2026-12-06, upgrades F3). At most {@code max} a call; one the service
     * cannot place (no tenant, not JSON) is left there and logged. Once the queue is found empty or missing it is not
     * asked again for {@link #SHARED_QUEUE_QUIET}. The queue itself is left for the operator to delete.
     *
     * @return how many were moved
     */
    @Override
    public int deliverLeftBehind(int max) {
        if (System.nanoTime() - sharedQueueQuietSince < SHARED_QUEUE_QUIET.toNanos()) {
            return 0;
        }
        QueueClient shared = queues.apply(prefix);
        List<QueueMessageItem> received = new ArrayList<>();
        try {
            shared.receiveMessages(Math.min(max, 32), SHARED_QUEUE_HOLD, StorageCalls.RETRY_AFTER, Context.NONE)
                    .forEach(received::add);
        } catch (QueueStorageException e) {
            if (e.getStatusCode() != 404) {
                throw e;
            }
        }
        if (received.isEmpty()) {
            sharedQueueQuietSince = System.nanoTime();
            return 0;
        }
        int moved = 0;
        for (QueueMessageItem message : received) {
            String text = message.getBody().toString();
            TenantId tenant = tenantOf(text);
            if (tenant == null) {
                if (message.getDequeueCount() == 1) {
                    LOG.warnf(
                            "Message %s on the shared events queue %s names no tenant; left there",
                            message.getMessageId(), prefix);
                }
                continue;
            }
            tenants.get(tenant, this::created).publishAsIs(text);
            shared.deleteMessage(message.getMessageId(), message.getPopReceipt());
            moved++;
        }
        return moved;
    }

    private TenantId tenantOf(String cloudEvent) {
        try {
            String tenant = json.readTree(cloudEvent).path("tenantid").asText(null);
            return TenantId.isWellFormed(tenant) ? new TenantId(tenant) : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private QueueCmkEvents created(TenantId tenant) {
        QueueClient queue = queues.apply(queueName(prefix, tenant));
        StorageCalls.forQueue(queue, StorageCalls.RETRY_AFTER).run(queue::createIfNotExists);
        return new QueueCmkEvents(queue, json);
    }
}
