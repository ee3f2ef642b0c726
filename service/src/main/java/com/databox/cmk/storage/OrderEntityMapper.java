package com.databox.cmk.storage;

import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.FederatedClientId;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KekWait;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.outbox.PendingEvent;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Order ⇄ table entity. One partition per tenant (its {@code tid}, issue 12): each order under
 * row key {@code order~{name}}, its history under {@code history~{name}~…} rows and its pending events
 * (the outbox) under {@code outbox~{name}~{epoch millis}~{event id}} rows, so that all are written in one
 * entity-group transaction, a tenant's orders are one range of one partition and the outbox of every
 * tenant is one row-key range ({@code outbox~} to {@code outbox~~}) in each partition.
 * User-assigned identities are flattened into numbered columns (the table has no nested values).
 *
 * <p>Rows of the layout before tenancy (partition = order name, row key {@code order}) are not
 * read; docs/SECURITY.md says how to move them.
 */
final class OrderEntityMapper {
    static final String ORDER_ROW_PREFIX = "order~";
    /** Above every order row: names are letters, digits and hyphens, all below '~'. */
    static final String ORDER_ROWS_END = "order~~";

    static final String OUTBOX_ROW_PREFIX = "outbox~";
    /** Above every outbox row, as {@link #ORDER_ROWS_END} is above the order rows. */
    static final String OUTBOX_ROWS_END = "outbox~~";

    private static final String HISTORY_PREFIX = "history~";

    private OrderEntityMapper() {}

    static TableEntity toEntity(Order order) {
        TableEntity entity = new TableEntity(order.tenant().value(), orderRow(order.name()));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Location", order.location());
        p.put("Stage", order.stage().name());
        p.put("CreatedAt", offset(order.createdAt()));
        if (order.stageSince() != null) {
            p.put("StageSince", offset(order.stageSince()));
        }
        p.put("UpdatedAt", offset(order.updatedAt()));
        SystemAssignedIdentity system = order.identity().systemAssigned();
        if (system != null) {
            p.put("SystemPrincipalId", system.principalId());
            p.put("SystemTenantId", system.tenantId());
            p.put("SystemResourceId", system.resourceId().value());
        }
        int i = 0;
        for (UserAssignedIdentity user : order.identity().userAssigned().values()) {
            p.put("User" + i + "ResourceId", user.resourceId().value());
            p.put("User" + i + "PrincipalId", user.principalId());
            p.put("User" + i + "ClientId", user.clientId());
            p.put("User" + i + "TenantId", user.tenantId());
            i++;
        }
        p.put("UserCount", i);
        p.put("KekType", order.protection().kekType());
        if (order.protection() instanceof KeyProtection.CustomerManaged kek) {
            p.put("KekUrl", kek.keyUrl().keyId());
            putIfSet(
                    p,
                    "KekVaultResourceId",
                    kek.vault() == null ? null : kek.vault().value());
            p.put("KekIdentityType", kek.keyIdentity().type());
            if (kek.keyIdentity() instanceof KeyIdentity.UserAssigned user) {
                p.put("KekUserAssignedResourceId", user.id().value());
                if (user.federated()) {
                    p.put("KekFederatedClientId", user.federatedClientId().value());
                }
            }
            p.put("KekAutoRotation", kek.autoRotation());
        }
        KeyHealth health = order.keyHealth();
        p.put("HealthStatus", health.status().name());
        putIfSet(
                p,
                "HealthErrorCode",
                health.errorCode() == null ? null : health.errorCode().name());
        putIfSet(p, "HealthMessage", health.message());
        if (health.lastCheckedAt() != null) {
            p.put("HealthCheckedAt", offset(health.lastCheckedAt()));
        }
        KekWait wait = order.kekWait();
        if (wait != null) {
            p.put("KekWaitTarget", wait.target().name());
            p.put("KekWaitErrorCode", wait.errorCode().name());
            putIfSet(p, "KekWaitMessage", wait.message());
            p.put("KekWaitSince", offset(wait.since()));
            putIfSet(p, "KekWaitResolution", wait.resolution());
        }
        WrappedUnlockKey wrapped = order.wrappedUnlockKey();
        p.put("WrappedKeyId", wrapped.keyUrl().keyId());
        p.put("WrappedKeyAlgorithm", wrapped.algorithm());
        p.put("WrappedKey", Base64.getEncoder().encodeToString(wrapped.value()));
        entity.setProperties(p);
        if (order.etag() != null) {
            entity.addProperty("odata.etag", order.etag());
        }
        return entity;
    }

    static Order toOrder(TableEntity entity) {
        return toOrder(entity, OrderEntityMapper::protection, TenantId::new);
    }

    /**
     * Maps the orders of one page. They share their tenant and mostly their key and identity, so each
     * distinct tenant and key protection is parsed and checked once a page rather than once an order: those
     * checks were about a tenth of the CPU an audit spent on a page (issue 16). Both are immutable values.
     */
    static Function<TableEntity, Order> pageMapper() {
        Map<List<Object>, KeyProtection> protections = new HashMap<>();
        Map<String, TenantId> tenants = new HashMap<>();
        return entity -> toOrder(
                entity,
                p -> protections.computeIfAbsent(protectionProperties(p), k -> protection(p)),
                partition -> tenants.computeIfAbsent(partition, TenantId::new));
    }

    private static final List<String> PROTECTION_PROPERTIES = List.of(
            "KekType",
            "KekUrl",
            "KekVaultResourceId",
            "KekIdentityType",
            "KekUserAssignedResourceId",
            "KekFederatedClientId",
            "KekAutoRotation");

    private static List<Object> protectionProperties(Map<String, Object> p) {
        Object[] values = new Object[PROTECTION_PROPERTIES.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = p.get(PROTECTION_PROPERTIES.get(i));
        }
        return Arrays.asList(values);
    }

    private static Order toOrder(
            TableEntity entity,
            Function<Map<String, Object>, KeyProtection> protection,
            Function<String, TenantId> tenant) {
        Map<String, Object> p = entity.getProperties();
        KeyHealth health = health(p);
        WrappedUnlockKey wrapped = new WrappedUnlockKey(
                storedKeyUrl(p, "WrappedKeyId"),
                storedWrapAlgorithm(p, "WrappedKeyAlgorithm"),
                storedBase64(p, "WrappedKey"));
        KekWait wait = str(p, "KekWaitTarget") == null
                ? null
                : new KekWait(
                        storedEnum(p, "KekWaitTarget", Stage::valueOf),
                        storedEnum(p, "KekWaitErrorCode", ErrorCode::valueOf),
                        str(p, "KekWaitMessage"),
                        storedTime(p, "KekWaitSince"),
                        str(p, "KekWaitResolution"));
        Stage stage = storedEnum(p, "Stage", Stage::valueOf);
        return new Order(
                tenant.apply(entity.getPartitionKey()),
                orderName(entity),
                str(p, "Location"),
                stage,
                identity(p),
                protection.apply(p),
                health,
                wrapped,
                wait,
                storedTime(p, "CreatedAt"),
                stageSince(p, stage),
                storedTime(p, "UpdatedAt"),
                entity.getETag());
    }

    /**
     * When the order reached its stage. A row written before 2026-12-06 has no {@code StageSince}: an order
     * still in its first stage has been in it since its creation; for a later one its last write is the
     * best known (what was answered before), kept from its next write on.
     */
    private static Instant stageSince(Map<String, Object> p, Stage stage) {
        if (p.get("StageSince") != null) {
            return storedTime(p, "StageSince");
        }
        return storedTime(p, stage == Stage.DeviceOrdered ? "CreatedAt" : "UpdatedAt");
    }

    /** The user-assigned identities whose columns a key state reads: an order rarely has more than one or two. */
    static final int KEY_STATE_USER_IDENTITIES = 4;

    /**
     * The columns {@link #keyStatePageMapper} reads: an order's key protection, identities, stage and
     * health, but not its unlock key, location, times or wait. Selected, a page of 1,000 orders took about
     * half the CPU to parse and two thirds of the time to read on Azurite that the whole orders took
     * (issue 16).
     */
    static final List<String> KEY_STATE_PROPERTIES = keyStateProperties();

    private static List<String> keyStateProperties() {
        List<String> names = new ArrayList<>(List.of(
                "PartitionKey",
                "RowKey",
                "Stage",
                "SystemPrincipalId",
                "SystemTenantId",
                "SystemResourceId",
                "UserCount",
                "HealthStatus",
                "HealthErrorCode",
                "HealthMessage",
                "HealthCheckedAt"));
        for (int i = 0; i < KEY_STATE_USER_IDENTITIES; i++) {
            for (String column : List.of("ResourceId", "PrincipalId", "ClientId", "TenantId")) {
                names.add("User" + i + column);
            }
        }
        names.addAll(PROTECTION_PROPERTIES);
        return List.copyOf(names);
    }

    /**
     * Maps the key states of one page read with {@link #KEY_STATE_PROPERTIES}, sharing tenants and key
     * protections as {@link #pageMapper()} does. An order with more user-assigned identities than were
     * read maps to null: its caller reads that one whole.
     */
    static Function<TableEntity, OrderKeyState> keyStatePageMapper() {
        Map<List<Object>, KeyProtection> protections = new HashMap<>();
        Map<String, TenantId> tenants = new HashMap<>();
        return entity -> {
            Map<String, Object> p = entity.getProperties();
            if (userCount(p) > KEY_STATE_USER_IDENTITIES) {
                return null;
            }
            return new OrderKeyState(
                    tenants.computeIfAbsent(entity.getPartitionKey(), TenantId::new),
                    orderName(entity),
                    storedEnum(p, "Stage", Stage::valueOf),
                    identity(p),
                    protections.computeIfAbsent(protectionProperties(p), k -> protection(p)),
                    health(p),
                    entity.getETag());
        };
    }

    /**
     * Absent is none; anything but a count is a damaged row, where it was read as none and the identities past it
     * went unseen (the identity sweep let them go).
     */
    private static int userCount(Map<String, Object> p) {
        Object stored = p.get("UserCount");
        if (stored == null) {
            return 0;
        }
        if ((stored instanceof Integer || stored instanceof Long)
                && ((Number) stored).longValue() >= 0
                && ((Number) stored).longValue() <= Integer.MAX_VALUE) {
            return ((Number) stored).intValue();
        }
        throw new DamagedRowException("UserCount", "A stored order's UserCount is no count", null);
    }

    private static OrderIdentity identity(Map<String, Object> p) {
        // Present or absent, never stored empty: a selected column an entity lacks may come back as null.
        SystemAssignedIdentity system = p.get("SystemPrincipalId") != null || p.get("SystemResourceId") != null
                ? new SystemAssignedIdentity(
                        str(p, "SystemPrincipalId"),
                        str(p, "SystemTenantId"),
                        storedIdentityId(str(p, "SystemResourceId"), "SystemResourceId"))
                : null;
        Map<UserAssignedIdentityId, UserAssignedIdentity> users = new LinkedHashMap<>();
        int count = userCount(p);
        for (int i = 0; i < count; i++) {
            UserAssignedIdentityId id = storedIdentityId(str(p, "User" + i + "ResourceId"), "User" + i + "ResourceId");
            users.put(
                    id,
                    new UserAssignedIdentity(
                            id,
                            str(p, "User" + i + "PrincipalId"),
                            str(p, "User" + i + "ClientId"),
                            str(p, "User" + i + "TenantId")));
        }
        return new OrderIdentity(system, users);
    }

    /** The columns that name an order's identities, whatever its {@code UserCount} says. */
    private static final Pattern IDENTITY_COLUMN =
            Pattern.compile("SystemResourceId|KekUserAssignedResourceId|User[0-9]+ResourceId");

    /**
     * Every identity a row names, damaged elsewhere or not, as {@link #identity} reads them, and in any other column
     * that names one (a damaged {@code UserCount} hides none); empty when one of them cannot be read. What a damaged
     * row may still hold, which the identity sweep must not let go.
     */
    static Optional<Set<UserAssignedIdentityId>> namedIdentities(TableEntity entity) {
        Map<String, Object> p = entity.getProperties();
        try {
            OrderIdentity identity = identity(p);
            Set<UserAssignedIdentityId> named = new HashSet<>(identity.userAssignedIds());
            identity.serviceCreatedId().ifPresent(named::add);
            for (Map.Entry<String, Object> column : p.entrySet()) {
                if (column.getValue() != null
                        && IDENTITY_COLUMN.matcher(column.getKey()).matches()) {
                    named.add(storedIdentityId(column.getValue().toString(), column.getKey()));
                }
            }
            return Optional.of(named);
        } catch (DamagedRowException damaged) {
            return Optional.empty();
        }
    }

    private static KeyHealth health(Map<String, Object> p) {
        return new KeyHealth(
                storedEnum(p, "HealthStatus", KeyHealth.Status::valueOf),
                str(p, "HealthErrorCode") == null ? null : storedEnum(p, "HealthErrorCode", ErrorCode::valueOf),
                str(p, "HealthMessage"),
                storedTime(p, "HealthCheckedAt"));
    }

    private static KeyProtection protection(Map<String, Object> p) {
        return switch (String.valueOf(str(p, "KekType"))) {
            case "MicrosoftManaged" -> KeyProtection.MICROSOFT_MANAGED;
            case "CustomerManaged" ->
                new KeyProtection.CustomerManaged(
                        storedKeyUrl(p, "KekUrl"),
                        storedOptional(p, "KekVaultResourceId", VaultResourceId::new),
                        switch (String.valueOf(str(p, "KekIdentityType"))) {
                            case "SystemAssigned" -> KeyIdentity.SYSTEM_ASSIGNED;
                            case "UserAssigned" ->
                                KeyIdentity.userAssigned(
                                        storedIdentityId(
                                                str(p, "KekUserAssignedResourceId"), "KekUserAssignedResourceId"),
                                        storedOptional(p, "KekFederatedClientId", FederatedClientId::new));
                            default ->
                                throw new DamagedRowException(
                                        "KekIdentityType", "A stored order's KekIdentityType is unknown", null);
                        },
                        Boolean.TRUE.equals(p.get("KekAutoRotation")));
            default -> throw new DamagedRowException("KekType", "A stored order's KekType is unknown", null);
        };
    }

    static String orderRow(OrderName name) {
        return ORDER_ROW_PREFIX + name.value();
    }

    /** {@link Order#holdsIdentitiesAt} of an order row read with its {@code Stage} and {@code UpdatedAt} columns. */
    static boolean holdsIdentities(TableEntity entity, Instant now, Duration retention) {
        Map<String, Object> p = entity.getProperties();
        return Order.holdsIdentities(
                storedEnum(p, "Stage", Stage::valueOf), storedTime(p, "UpdatedAt"), now, retention);
    }

    static OrderRef toRef(TableEntity entity) {
        return new OrderRef(new TenantId(entity.getPartitionKey()), orderName(entity));
    }

    private static OrderName orderName(TableEntity entity) {
        return new OrderName(entity.getRowKey().substring(ORDER_ROW_PREFIX.length()));
    }

    /** History rows sort newest first within the order's rows. */
    static TableEntity toEntity(OrderRef order, HistoryEntry entry) {
        String rowKey = historyRowsAt(order.name(), entry.at()) + "-" + UUID.randomUUID();
        TableEntity entity = new TableEntity(order.tenant().value(), rowKey);
        entity.addProperty("At", offset(entry.at()));
        entity.addProperty("Action", entry.action());
        entity.addProperty("Actor", entry.actor());
        entity.addProperty("Summary", entry.summary());
        return entity;
    }

    /** The start of the row keys of the order's history entries written in the millisecond of {@code at}. */
    static String historyRowsAt(OrderName name, Instant at) {
        return HISTORY_PREFIX + name.value() + "~"
                + String.format(Locale.ROOT, "%019d", Long.MAX_VALUE - at.toEpochMilli());
    }

    static HistoryEntry toHistoryEntry(TableEntity entity) {
        Map<String, Object> p = entity.getProperties();
        return new HistoryEntry(
                instant(p.get("At")), (String) p.get("Action"), (String) p.get("Actor"), (String) p.get("Summary"));
    }

    /** The first row key of the order's outbox, and {@link #outboxRowsEnd} is above its last. */
    static String outboxRowsStart(OrderName name) {
        return OUTBOX_ROW_PREFIX + name.value() + "~";
    }

    static String outboxRowsEnd(OrderName name) {
        return OUTBOX_ROW_PREFIX + name.value() + "~~";
    }

    /** Rows sort oldest first within the order's outbox; the event's id makes the key unique. */
    static TableEntity toEntity(OrderRef order, OrderEvent event) {
        TableEntity entity = new TableEntity(order.tenant().value(), outboxRow(order.name(), event));
        entity.addProperty("OrderName", order.name().value());
        entity.addProperty("EventId", event.id().toString());
        entity.addProperty("Type", event.type().name());
        entity.addProperty("Time", offset(event.time()));
        entity.addProperty("KekUrl", event.kekUrl());
        if (event.previousKekUrl() != null) {
            entity.addProperty("PreviousKekUrl", event.previousKekUrl());
        }
        if (event.errorCode() != null) {
            entity.addProperty("ErrorCode", event.errorCode().name());
        }
        if (event.message() != null) {
            entity.addProperty("Message", event.message());
        }
        return entity;
    }

    static PendingEvent toPendingEvent(TableEntity entity) {
        Map<String, Object> p = entity.getProperties();
        OrderEvent event = new OrderEvent(
                UUID.fromString(str(p, "EventId")),
                OrderEvent.Type.valueOf(str(p, "Type")),
                instant(p.get("Time")),
                str(p, "KekUrl"),
                str(p, "PreviousKekUrl"),
                str(p, "ErrorCode") == null ? null : ErrorCode.valueOf(str(p, "ErrorCode")),
                str(p, "Message"));
        return new PendingEvent(
                new OrderRef(new TenantId(entity.getPartitionKey()), new OrderName(str(p, "OrderName"))),
                event,
                entity.getETag());
    }

    /** The row of an order's event: its time (to the millisecond, as stored) and its id. */
    static String outboxRow(OrderName name, OrderEvent event) {
        return outboxRowsStart(name)
                + String.format(Locale.ROOT, "%019d", event.time().toEpochMilli()) + "~" + event.id();
    }

    private static void putIfSet(Map<String, Object> properties, String name, Object value) {
        if (value != null) {
            properties.put(name, value);
        }
    }

    /**
     * A key URL the service stored. One it cannot read again is a damaged row, the service's fault (500
     * {@code InternalError}, logged), not the customer's invalid key URL ({@code 400} naming their {@code kekUrl}),
     * which no customer could correct (review rv10 M1).
     */
    private static KeyUrl storedKeyUrl(Map<String, Object> properties, String name) {
        try {
            return KeyUrl.parse(str(properties, name));
        } catch (ServiceException notAKeyUrl) {
            // The parse's message quotes the value, and a damaged row's never does (DamagedRowException).
            throw new DamagedRowException(name, "A stored order's " + name + " is no key URL", null);
        }
    }

    /**
     * A user-assigned identity's resource ID the service stored (a customer's, checked where it entered, or the one
     * it made as the order's system-assigned identity), in the spelling it was stored in. One it cannot read again
     * is a damaged row, the service's fault (500 {@code InternalError}, logged), as a stored key URL is.
     */
    private static UserAssignedIdentityId storedIdentityId(String resourceId, String name) {
        if (!UserAssignedIdentityId.isWellFormed(resourceId)) {
            throw new DamagedRowException(
                    name, "A stored order's " + name + " is no user-assigned identity's resource ID", null);
        }
        return new UserAssignedIdentityId(resourceId);
    }

    /** A stored enum's value; one this build has no constant for is a damaged row, as a stored key URL is. */
    private static <E extends Enum<E>> E storedEnum(
            Map<String, Object> properties, String name, Function<String, E> valueOf) {
        try {
            return valueOf.apply(str(properties, name));
        } catch (IllegalArgumentException | NullPointerException noSuchValue) {
            throw new DamagedRowException(name, "A stored order's " + name + " is no known value", null);
        }
    }

    /** A stored value its type checks, or null when absent; one the type refuses is a damaged row. */
    private static <T> T storedOptional(Map<String, Object> properties, String name, Function<String, T> parse) {
        String text = str(properties, name);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException notOfItsType) {
            throw new DamagedRowException(name, "A stored order's " + name + " is not of its type", null);
        }
    }

    /** A stored time, or null when absent; one that is no time is a damaged row. */
    private static Instant storedTime(Map<String, Object> properties, String name) {
        try {
            return instant(properties.get(name));
        } catch (DateTimeException notATime) {
            throw new DamagedRowException(name, "A stored order's " + name + " is no time", null);
        }
    }

    /**
     * Key Vault's RSA key-wrap algorithms: every release wrapped with RSA-OAEP-256. Another stored name is a damaged
     * row; taken, it reached Key Vault's unwrap, whose refusal was blamed on the customer's key (df1).
     */
    private static final Set<String> WRAP_ALGORITHMS = Set.of("RSA-OAEP-256", "RSA-OAEP", "RSA1_5");

    private static String storedWrapAlgorithm(Map<String, Object> properties, String name) {
        String algorithm = str(properties, name);
        if (algorithm == null || !WRAP_ALGORITHMS.contains(algorithm)) {
            throw new DamagedRowException(name, "A stored order's " + name + " is no key-wrap algorithm", null);
        }
        return algorithm;
    }

    /** A stored wrapped key's bytes; text that is no Base64 is a damaged row. */
    private static byte[] storedBase64(Map<String, Object> properties, String name) {
        try {
            return Base64.getDecoder().decode(str(properties, name));
        } catch (IllegalArgumentException | NullPointerException notBase64) {
            throw new DamagedRowException(name, "A stored order's " + name + " is no Base64", null);
        }
    }

    private static String str(Map<String, Object> properties, String name) {
        Object value = properties.get(name);
        return value == null ? null : value.toString();
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case OffsetDateTime odt -> odt.toInstant();
            case Instant i -> i;
            default -> OffsetDateTime.parse(value.toString()).toInstant();
        };
    }
}
