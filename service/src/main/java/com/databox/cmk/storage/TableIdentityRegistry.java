package com.databox.cmk.storage;

import static com.databox.cmk.storage.TableValues.digest;
import static com.databox.cmk.storage.TableValues.instant;
import static com.databox.cmk.storage.TableValues.utc;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.sweep.IdentityRegistry;
import com.databox.cmk.sweep.RegisteredIdentity;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The registered identities in Azure Table Storage: one row each, keyed by a digest of the
 * lower-cased resource ID (a resource ID holds {@code /}, which a key may not), spread over 16
 * partitions by the digest's first character.
 */
public class TableIdentityRegistry implements IdentityRegistry {
    private final TableClient table;
    private final StorageCalls calls;

    public TableIdentityRegistry(TableClient table) {
        this.table = table;
        this.calls = StorageCalls.forTable(table, StorageCalls.RETRY_AFTER);
    }

    @Override
    public void register(UserAssignedIdentityId id, RegisteredIdentity.Origin origin, Instant at) {
        String key = digest(id.value().toLowerCase(Locale.ROOT));
        TableEntity row = new TableEntity(key.substring(0, 1), key)
                .addProperty("ResourceId", id.value())
                .addProperty("Origin", origin.name())
                .addProperty("RegisteredAt", utc(at));
        calls.run(() -> table.upsertEntity(row));
    }

    @Override
    public Iterable<RegisteredIdentity> all() {
        return () -> {
            Iterator<TableEntity> rows =
                    calls.iterator(() -> table.listEntities().iterator());
            return new Iterator<>() {
                private RegisteredIdentity next = advance();

                private RegisteredIdentity advance() {
                    while (rows.hasNext()) {
                        TableEntity row = rows.next();
                        Object resourceId = row.getProperty("ResourceId");
                        if (resourceId != null && UserAssignedIdentityId.isWellFormed(resourceId.toString())) {
                            return new RegisteredIdentity(
                                    new UserAssignedIdentityId(resourceId.toString()),
                                    origin(row.getProperty("Origin")),
                                    instant(row.getProperty("RegisteredAt")),
                                    row.getETag());
                        }
                    }
                    return null;
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public RegisteredIdentity next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    RegisteredIdentity current = next;
                    next = advance();
                    return current;
                }
            };
        };
    }

    @Override
    public boolean forget(RegisteredIdentity registration) {
        String key = digest(registration.id().value().toLowerCase(Locale.ROOT));
        TableEntity row = new TableEntity(key.substring(0, 1), key);
        row.addProperty("odata.etag", registration.version());
        return calls.deleteIfUnchanged(() -> table.deleteEntityWithResponse(row, true, null, null));
    }

    private static RegisteredIdentity.Origin origin(Object value) {
        return "SERVICE_CREATED".equals(value)
                ? RegisteredIdentity.Origin.SERVICE_CREATED
                : RegisteredIdentity.Origin.CUSTOMER;
    }
}
