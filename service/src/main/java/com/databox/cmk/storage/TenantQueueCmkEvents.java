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
import com.fasterxml.jackson.databind.JsonNode;
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

    /** Storage's shortest queue name: a shorter prefix was never a queue. */
    private static final int MIN_QUEUE_NAME = 3;
    /** The most messages one receive takes (Storage's limit). */
    private static final int MAX_RECEIVED = 32;
    /** How long one receive from it may take. */
    private static final Duration SHARED_QUEUE_TIMEOUT = Duration.ofSeconds(5);

    private static final String EVENT_TYPE_PREFIX = "DataBox.Cmk.";

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
        if (prefix == null
                || prefix.length() > MAX_PREFIX
                || !StorageNames.QUEUE_LABELS.matcher(prefix).matches()) {
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
     * held for its key among them (bug bash of 2026-12-06, upgrades F3). At most {@code max} (and one receive, 32) a
     * call. Only this service's CloudEvents are moved (its source, a type of its own, a tenant): anything else is
     * left there and counted in the log. A message moved, whose delete then failed, is moved again by a later call,
     * with the same event {@code id}, as any event may be delivered twice. Once the queue is found empty, missing or
     * unreadable it is not asked again for {@link #SHARED_QUEUE_QUIET}. The queue itself is left for the operator to
     * delete; this whole move can go once no deployment predates 2026-12-04.
     *
     * @return how many were moved
     */
    @Override
    public int deliverLeftBehind(int max) {
        if (prefix.length() < MIN_QUEUE_NAME
                || System.nanoTime() - sharedQueueQuietSince < SHARED_QUEUE_QUIET.toNanos()) {
            return 0;
        }
        QueueClient shared = queues.apply(prefix);
        List<QueueMessageItem> received = new ArrayList<>();
        try {
            // Asked first, as every deployment since 2026-12-04 lacks it: a receive from a missing queue throws
            // (wrapped, with the client's own ERROR line), every minute (bug bash of 2026-12-06, identifiers F2).
            shared.getProperties();
            shared.receiveMessages(Math.min(max, MAX_RECEIVED), SHARED_QUEUE_HOLD, SHARED_QUEUE_TIMEOUT, Context.NONE)
                    .forEach(received::add);
        } catch (RuntimeException unreadable) {
            sharedQueueQuietSince = System.nanoTime();
            if (unreadable instanceof QueueStorageException missing && missing.getStatusCode() == 404) {
                return 0;
            }
            throw unreadable;
        }
        if (received.isEmpty()) {
            sharedQueueQuietSince = System.nanoTime();
            return 0;
        }
        int moved = 0;
        int left = 0;
        for (QueueMessageItem message : received) {
            String text = message.getBody().toString();
            TenantId tenant = tenantOf(text);
            if (tenant == null) {
                left++;
                continue;
            }
            tenants.get(tenant, this::created).publishAsIs(text);
            try {
                shared.deleteMessage(message.getMessageId(), message.getPopReceipt());
            } catch (QueueStorageException e) {
                // Published; taken again by a later call when the message is still there (the same event id).
                LOG.debugf("Deleting moved message %s failed: %s", message.getMessageId(), e.getMessage());
            }
            moved++;
        }
        if (left > 0) {
            LOG.warnf(
                    "%s message(s) on the shared events queue %s are no event of this service's; left there",
                    left, prefix);
        }
        return moved;
    }

    /** The tenant of one of this service's CloudEvents; null for anything else. */
    private TenantId tenantOf(String cloudEvent) {
        try {
            JsonNode event = json.readTree(cloudEvent);
            String tenant = event.path("tenantid").asText(null);
            boolean ours = QueueCmkEvents.SOURCE.equals(event.path("source").asText(null))
                    && event.path("type").asText("").startsWith(EVENT_TYPE_PREFIX);
            return ours && TenantId.isWellFormed(tenant) ? new TenantId(tenant) : null;
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
