package com.databox.cmk.storage;

import com.azure.core.exception.HttpResponseException;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionFailedException;
import com.azure.storage.queue.QueueClient;
import com.databox.cmk.error.Causes;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.error.UnconfirmedWriteException;
import com.databox.cmk.identity.TokenServiceUnavailable;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every call to one table or queue of the service's storage account goes through here (issue 15):
 * a table or queue that has gone is created again and the call made once more; an outage
 * (5xx, throttling, a timeout, no connection) becomes {@code StorageUnavailable}, answered 503 with
 * {@code Retry-After}, and a storage answer the service caused itself (4xx) is left to the caller.
 * The clients' own timeout and retries (StorageClients) bound how long one call can take.
 */
public final class StorageCalls {
    private static final Logger LOG = Logger.getLogger(StorageCalls.class.getName());

    /** What an outage answers in {@code Retry-After} unless configured ({@code cmk.storage.retry-after}). */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final String name;
    private final Runnable recreate;
    private final Duration retryAfter;

    /**
     * @param name the table's or queue's name, for the log
     * @param recreate creates the table or queue if it does not exist
     * @param retryAfter what an outage answers in {@code Retry-After}
     */
    public StorageCalls(String name, Runnable recreate, Duration retryAfter) {
        this.name = name;
        this.recreate = recreate;
        this.retryAfter = retryAfter;
    }

    /** The calls of one table: created again when it has gone. */
    public static StorageCalls forTable(TableClient table, Duration retryAfter) {
        return new StorageCalls(
                table.getTableName(),
                () -> {
                    try {
                        table.createTable();
                    } catch (TableServiceException e) {
                        if (e.getResponse() == null || e.getResponse().getStatusCode() != 409) {
                            throw e;
                        }
                    }
                },
                retryAfter);
    }

    /** The calls of one queue: created again when it has gone. */
    public static StorageCalls forQueue(QueueClient queue, Duration retryAfter) {
        return new StorageCalls(queue.getQueueName(), queue::createIfNotExists, retryAfter);
    }

    public <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (!isMissing(e)) {
                throw outageOrAsIs(e);
            }
        }
        LOG.warning(() -> "Storage " + name + " was missing; creating it again");
        try {
            recreate.run();
            return call.get();
        } catch (RuntimeException e) {
            throw outageOrAsIs(e);
        }
    }

    /** A point read through {@link #call}: empty when the entity is not there (404), which is no error. */
    public <T> Optional<T> find(Supplier<T> read) {
        try {
            return Optional.of(call(read));
        } catch (TableServiceException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A delete through {@link #run}: one that finds nothing to delete (404) is done all the same. */
    public void delete(Runnable delete) {
        try {
            run(delete);
        } catch (TableServiceException e) {
            if (!isNotFound(e)) {
                throw e;
            }
        }
    }

    /**
     * A delete conditional on the row's ETag (the entity's {@code odata.etag}, {@code If-Match}), as
     * {@link #delete}: false when the row changed since it was read (412); a row already gone is done.
     */
    public boolean deleteIfUnchanged(Runnable delete) {
        try {
            delete(delete);
            return true;
        } catch (TableServiceException e) {
            if (statusOf(e) == 412) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isNotFound(TableServiceException e) {
        return statusOf(e) == 404;
    }

    private static int statusOf(TableServiceException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }

    /** Why Table Storage refused a transaction: a row it creates exists, or a row it changes is not as it says. */
    public enum Refusal {
        /** {@code EntityAlreadyExists}: a create met its row. */
        EXISTS,
        /** {@code UpdateConditionNotSatisfied} or {@code ResourceNotFound}: the row's ETag is not the one given. */
        STALE,
        OTHER;

        public static Refusal of(TableTransactionFailedException e) {
            // A failed transaction carries the failing action's error code, not always an HTTP response.
            TableErrorCode code = e.getValue() == null ? null : e.getValue().getErrorCode();
            if (TableErrorCode.ENTITY_ALREADY_EXISTS.equals(code)) {
                return EXISTS;
            }
            if (TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED.equals(code)
                    || TableErrorCode.RESOURCE_NOT_FOUND.equals(code)) {
                return STALE;
            }
            return OTHER;
        }
    }

    /**
     * A transaction through {@link #call} whose answer may be lost after storage wrote it, so that
     * {@code stored} (a proof no other write can give: a row only this write makes, or an ID it wrote)
     * decides:
     * <ul>
     *   <li>the client sent it again and storage refused it ({@link Refusal#EXISTS} or {@link Refusal#STALE}):
     *       stored, the refusal is of this write by itself, and the write stands;
     *   <li>every try went unanswered (an outage): stored, the write stands; not stored, nothing changed;
     *       storage answering that neither, {@link UnconfirmedWriteException}.
     * </ul>
     *
     * @param written what the write changes, as the caller would read it ("the order 'x'"), for the message
     * @return the write's answer, or empty when it stands but its answer was lost: read what it wrote
     * @throws TableTransactionFailedException a refusal that is not of this write by itself
     */
    public <T> Optional<T> write(Supplier<T> write, BooleanSupplier stored, String written) {
        try {
            return Optional.of(call(write));
        } catch (TableTransactionFailedException refused) {
            if (Refusal.of(refused) != Refusal.OTHER && wasStored(stored, written, refused)) {
                return Optional.empty();
            }
            throw refused;
        } catch (ServiceException outage) {
            if (outage.code() != ErrorCode.StorageUnavailable) {
                throw outage;
            }
            if (!wasStored(stored, written, outage)) {
                throw outage;
            }
            return Optional.empty();
        }
    }

    /**
     * Asks {@code stored} after a write whose outcome is unknown; storage answering neither the write nor
     * this makes it {@link UnconfirmedWriteException}, never "nothing changed", on which a caller would
     * undo what the stored write may rely on.
     */
    private boolean wasStored(BooleanSupplier stored, String written, RuntimeException unknownOutcome) {
        try {
            return stored.getAsBoolean();
        } catch (ServiceException stillOut) {
            if (stillOut.code() != ErrorCode.StorageUnavailable) {
                throw stillOut;
            }
            LOG.warning(() -> "Storage " + name + " answered neither a write nor whether it was stored");
            throw new UnconfirmedWriteException(written, retryAfter, unknownOutcome);
        }
    }

    /**
     * Reads what a write known to be stored left (its answer lost, or without the new ETag). Storage failing
     * this read makes it {@link UnconfirmedWriteException}, never "nothing changed", on which a caller would
     * undo what the stored write relies on (an identity made for it).
     */
    public <T> T readStored(Supplier<T> read, String written) {
        try {
            return read.get();
        } catch (ServiceException outage) {
            if (outage.code() != ErrorCode.StorageUnavailable) {
                throw outage;
            }
            throw new UnconfirmedWriteException(written, retryAfter, outage);
        }
    }

    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** An iterator whose reads (pages fetched on demand) go through {@link #call}. */
    public <T> Iterator<T> iterator(Supplier<Iterator<T>> source) {
        Iterator<T> iterator = call(source);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return call(iterator::hasNext);
            }

            @Override
            public T next() {
                return call(iterator::next);
            }
        };
    }

    /** The table or queue itself is gone (deleted, or a new storage account): not an entity that is missing. */
    static boolean isMissing(RuntimeException e) {
        String code = errorCode(e);
        return code != null
                && (code.equals(TableErrorCode.TABLE_NOT_FOUND.toString()) || code.equalsIgnoreCase("QueueNotFound"));
    }

    private RuntimeException outageOrAsIs(RuntimeException e) {
        if (!isOutage(e)) {
            return e;
        }
        LOG.log(Level.WARNING, "Storage " + name + " unavailable: " + describe(e));
        return new ServiceException(
                ErrorCode.StorageUnavailable,
                "The service's storage is unavailable for a moment; nothing was changed. Retry after "
                        + Math.max(1, retryAfter.toSeconds()) + " s.",
                null,
                retryAfter,
                null);
    }

    /**
     * 5xx, 408, 429, a table being deleted (409 TableBeingDeleted), no answer at all, or no token for storage
     * because the token service is down (storage reached with the app's identity, not a connection string; it
     * was a 500 until 2026-12-06, bug bash of that day).
     */
    static boolean isOutage(RuntimeException e) {
        if (Causes.find(e, TokenServiceUnavailable.class).isPresent()) {
            return true;
        }
        if (e instanceof HttpResponseException http && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            return status >= 500
                    || status == 408
                    || status == 429
                    || TableErrorCode.TABLE_BEING_DELETED.toString().equals(errorCode(e));
        }
        return SdkHttpClients.gotNoAnswer(e);
    }

    private static String errorCode(RuntimeException e) {
        if (e instanceof TableServiceException table
                && table.getValue() != null
                && table.getValue().getErrorCode() != null) {
            return table.getValue().getErrorCode().toString();
        }
        if (e instanceof HttpResponseException http && http.getResponse() != null) {
            return http.getResponse().getHeaderValue("x-ms-error-code");
        }
        return null;
    }

    /** The status and the storage code only: messages of storage errors can quote request content. */
    private static String describe(RuntimeException e) {
        if (e instanceof HttpResponseException http && http.getResponse() != null) {
            return "HTTP " + http.getResponse().getStatusCode() + " " + errorCode(e);
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
