package com.databox.cmk.storage;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes to rows of one table, grouped per partition into entity-group transactions: the first
 * write to a partition is sent at once, and the writes asked while it is in flight go together in
 * the next transaction, so a burst of writes costs a few round trips instead of one each (issue 16:
 * an audit run's pair claims and verdicts were a third of its Storage calls).
 *
 * <p>Each write keeps the result it would have alone. A transaction is all or nothing: when one
 * of its writes fails (a create of a row that exists), that write is sent again alone, for its own
 * answer, and the others in a transaction without it. Nothing is held beyond the writes in flight:
 * a partition is forgotten as soon as its last write is answered.
 */
final class PartitionWriteGroups {
    /** Table Storage's limit of operations in one transaction. */
    static final int MAX_WRITES = 100;

    private final TableClient table;
    private final StorageCalls calls;
    private final ReentrantLock lock = new ReentrantLock();
    /** The writes waiting for the partition's transaction in flight, by partition; absent when none is in flight. */
    private final Map<String, Deque<Write>> waiting = new HashMap<>();

    PartitionWriteGroups(TableClient table, StorageCalls calls) {
        this.table = table;
        this.calls = calls;
    }

    /** Creates the row; throws as {@code createEntity} would (409 when it exists). */
    void create(TableEntity row) {
        write(Kind.CREATE, row);
    }

    /** Inserts the row or merges it into the one there, as {@code upsertEntity} does. */
    void upsert(TableEntity row) {
        write(Kind.UPSERT, row);
    }

    /** The writes waiting for the partition's transaction in flight to be answered (for tests). */
    int waiting(String partition) {
        lock.lock();
        try {
            Deque<Write> queue = waiting.get(partition);
            return queue == null ? 0 : queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void write(Kind kind, TableEntity row) {
        Write mine = new Write(kind, row);
        String partition = row.getPartitionKey();
        boolean leads;
        lock.lock();
        try {
            Deque<Write> queue = waiting.get(partition);
            leads = queue == null;
            if (leads) {
                waiting.put(partition, new ArrayDeque<>());
            } else {
                queue.add(mine);
            }
        } finally {
            lock.unlock();
        }
        if (leads) {
            sendAndHandOn(partition, List.of(mine));
        }
        mine.await(group -> sendAndHandOn(partition, group));
    }

    /**
     * Sends the group, then hands the writes that gathered meanwhile to one of their own writers to
     * send: each writer sends at most its own group, so none is kept from its work sending others'.
     */
    private void sendAndHandOn(String partition, List<Write> group) {
        send(group);
        List<Write> next = nextGroup(partition);
        if (!next.isEmpty()) {
            next.getFirst().handOver(next);
        }
    }

    /** Up to {@link #MAX_WRITES} waiting writes, one a row; none when nothing waits, which forgets the partition. */
    private List<Write> nextGroup(String partition) {
        lock.lock();
        try {
            Deque<Write> queue = waiting.get(partition);
            if (queue.isEmpty()) {
                waiting.remove(partition);
                return List.of();
            }
            List<Write> group = new ArrayList<>();
            Set<String> rows = new HashSet<>();
            for (Iterator<Write> it = queue.iterator(); it.hasNext() && group.size() < MAX_WRITES; ) {
                Write write = it.next();
                // A transaction may not name a row twice: a second write of it waits for the next one.
                if (rows.add(write.row.getRowKey())) {
                    group.add(write);
                    it.remove();
                }
            }
            return group;
        } finally {
            lock.unlock();
        }
    }

    private void send(List<Write> group) {
        List<Write> rest = new ArrayList<>(group);
        while (rest.size() > 1) {
            try {
                calls.run(() ->
                        table.submitTransaction(rest.stream().map(Write::action).toList()));
                rest.forEach(Write::done);
                return;
            } catch (TableTransactionFailedException e) {
                Integer failed = e.getFailedTransactionActionIndex();
                if (failed == null || failed < 0 || failed >= rest.size()) {
                    break;
                }
                alone(rest.remove((int) failed));
            } catch (RuntimeException | Error e) {
                rest.forEach(write -> write.fail(e));
                return;
            }
        }
        rest.forEach(this::alone);
    }

    private void alone(Write write) {
        try {
            calls.run(() -> {
                switch (write.kind) {
                    case CREATE -> table.createEntity(write.row);
                    case UPSERT -> table.upsertEntity(write.row);
                }
            });
            write.done();
        } catch (RuntimeException | Error e) {
            write.fail(e);
        }
    }

    private enum Kind {
        CREATE(TableTransactionActionType.CREATE),
        UPSERT(TableTransactionActionType.UPSERT_MERGE);

        private final TableTransactionActionType type;

        Kind(TableTransactionActionType type) {
            this.type = type;
        }

        TableTransactionAction action(TableEntity row) {
            return new TableTransactionAction(type, row);
        }
    }

    private static final class Write {
        private final Kind kind;
        private final TableEntity row;
        private final CompletableFuture<Void> answer = new CompletableFuture<>();
        private final CompletableFuture<List<Write>> turn = new CompletableFuture<>();

        Write(Kind kind, TableEntity row) {
            this.kind = kind;
            this.row = row;
        }

        TableTransactionAction action() {
            return kind.action(row);
        }

        void done() {
            answer.complete(null);
        }

        void fail(Throwable e) {
            answer.completeExceptionally(e);
        }

        /** This write's group is its writer's to send. */
        void handOver(List<Write> group) {
            turn.complete(group);
        }

        /** Waits for the answer, sending this write's group with {@code send} if it is handed over first. */
        void await(Consumer<List<Write>> send) {
            try {
                // Not interruptible: a group handed to this writer must be sent, or its others wait forever.
                CompletableFuture.anyOf(answer, turn).join();
            } catch (CompletionException failed) {
                // The answer is a failure: thrown below.
            }
            if (!answer.isDone()) {
                send.accept(turn.join());
            }
            try {
                answer.get();
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case RuntimeException r -> throw r;
                    case Error error -> throw error;
                    default -> throw new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
