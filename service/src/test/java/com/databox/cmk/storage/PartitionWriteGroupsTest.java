package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.databox.cmk.testing.Azurite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Writes to one partition grouped into transactions, on Azurite's table: a burst costs a few
 * requests, and each write still gets the answer it would have alone.
 */
class PartitionWriteGroupsTest {
    private final HeldRequests requests = new HeldRequests();
    private final TableClient table = new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName("groupedwrites")
            .addPolicy(requests)
            // One try: the outage test counts on a 503 failing the call, not on the SDK's backoff.
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
            .buildClient();
    private final PartitionWriteGroups groups =
            new PartitionWriteGroups(table, StorageCalls.forTable(table, Duration.ofSeconds(5)));
    private final String partition = UUID.randomUUID().toString();

    /**
     * The table exists before each test, whichever runs first: otherwise the first write's 404 makes
     * StorageCalls create it, a request more that a test counting or holding requests would meet.
     */
    @BeforeEach
    void tableExists() {
        try {
            table.createTable();
        } catch (TableServiceException exists) {
            assertThat(exists.getResponse().getStatusCode()).isEqualTo(409);
        }
        requests.reset();
    }

    @Test
    void theWritesAskedWhileOneIsInFlightGoTogetherInOneTransaction() throws Exception {
        List<Future<?>> writes = burst(30, i -> groups.upsert(row("r" + i).addProperty("N", i)));

        assertThat(done(writes)).isEqualTo(30);
        assertThat(requests.count()).isEqualTo(2);
        assertThat(rows()).hasSize(30).containsEntry("r7", 7);
    }

    @Test
    void aCreateOfARowThatExistsFailsAloneAndTheOthersAreWritten() throws Exception {
        groups.create(row("taken").addProperty("N", -1));
        requests.reset();

        List<Future<?>> writes =
                burst(10, i -> groups.create(row(i == 4 ? "taken" : "r" + i).addProperty("N", i)));

        List<Throwable> failures = failures(writes);
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst())
                .isInstanceOfSatisfying(
                        TableServiceException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(409));
        // The first alone, the group refused, the refused write alone, the group without it.
        assertThat(requests.count()).isEqualTo(4);
        assertThat(rows()).hasSize(10).containsEntry("taken", -1).containsEntry("r9", 9);
    }

    @Test
    void twoWritesOfOneRowGoInSuccessiveTransactionsInTheOrderAsked() throws Exception {
        groups.upsert(row("first"));
        requests.reset();
        requests.holdFirst();
        Thread leader = Thread.ofVirtual().start(() -> groups.upsert(row("lead")));
        requests.awaitHeld();
        List<Thread> writers = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            int value = n;
            writers.add(Thread.ofVirtual().start(() -> groups.upsert(row("same").addProperty("N", value))));
            awaitWaiting(n);
        }
        requests.release();
        leader.join();
        for (Thread writer : writers) {
            writer.join();
        }

        assertThat(requests.count()).isEqualTo(4);
        assertThat(rows()).containsEntry("same", 3);
    }

    @Test
    void aWriterReturnsOnceItsOwnWriteIsAnsweredAndAnotherSendsTheWritesThatGathered() throws Exception {
        requests.holdFirst();
        Thread first = Thread.ofVirtual().start(() -> groups.upsert(row("first")));
        requests.awaitHeld();
        List<Thread> others = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String rowKey = "other" + i;
            others.add(Thread.ofVirtual().start(() -> groups.upsert(row(rowKey))));
        }
        awaitWaiting(2);

        // The first write is answered; the others' transaction is held in flight.
        requests.releaseAndHoldNext();
        requests.awaitHeld();
        first.join(Duration.ofSeconds(5));
        assertThat(first.isAlive())
                .as("the first writer, while the others' transaction is in flight")
                .isFalse();

        requests.release();
        for (Thread other : others) {
            other.join();
        }
        assertThat(requests.count()).isEqualTo(2);
        assertThat(rows()).containsOnlyKeys("first", "other0", "other1");
    }

    @Test
    void moreWritesThanATransactionTakesGoInSeveral() throws Exception {
        List<Future<?>> writes = burst(
                PartitionWriteGroups.MAX_WRITES + 20,
                i -> groups.upsert(row("r" + i).addProperty("N", i)));

        assertThat(done(writes)).isEqualTo(PartitionWriteGroups.MAX_WRITES + 20);
        assertThat(requests.count()).isEqualTo(3);
        assertThat(rows()).hasSize(PartitionWriteGroups.MAX_WRITES + 20);
    }

    @Test
    void aWriteAloneIsSentAtOnceAndOtherPartitionsDoNotWait() {
        requests.holdFirst();
        Thread held = Thread.ofVirtual().start(() -> groups.upsert(row("held")));
        requests.awaitHeld();

        groups.upsert(new TableEntity(UUID.randomUUID().toString(), "elsewhere"));

        assertThat(held.isAlive()).isTrue();
        requests.release();
    }

    /**
     * {@code n} writes asked while the first is held in flight: the first is sent alone, and the
     * others are let go once they all wait for it.
     */
    private List<Future<?>> burst(int n, java.util.function.IntConsumer write) throws InterruptedException {
        requests.holdFirst();
        List<Future<?>> writes = new ArrayList<>();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        writes.add(executor.submit(() -> write.accept(0)));
        requests.awaitHeld();
        for (int i = 1; i < n; i++) {
            int index = i;
            writes.add(executor.submit(() -> write.accept(index)));
        }
        awaitWaiting(n - 1);
        requests.release();
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        return writes;
    }

    private void awaitWaiting(int n) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (groups.waiting(partition) < n && System.nanoTime() < giveUp) {
            Thread.sleep(1);
        }
        assertThat(groups.waiting(partition)).isEqualTo(n);
    }

    private static int done(List<Future<?>> writes) throws Exception {
        for (Future<?> write : writes) {
            write.get();
        }
        return writes.size();
    }

    private static List<Throwable> failures(List<Future<?>> writes) throws InterruptedException {
        List<Throwable> failures = new ArrayList<>();
        for (Future<?> write : writes) {
            try {
                write.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        return failures;
    }

    private TableEntity row(String rowKey) {
        return new TableEntity(partition, rowKey);
    }

    /** The partition's rows: row key to property N (null when it has none). */
    private Map<String, Object> rows() {
        return table
                .listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq '" + partition + "'"), null, null)
                .stream()
                .collect(Collectors.toMap(
                        TableEntity::getRowKey, e -> e.getProperty("N") == null ? "none" : e.getProperty("N")));
    }

    @Test
    void aFailureOfTheGroupIsEachOfItsWrites() throws Exception {
        requests.failGroups(true);
        List<Future<?>> writes = burst(5, i -> groups.upsert(row("r" + i)));

        List<Throwable> failures = failures(writes);
        // The first went alone and was written; the group of the other four failed as a whole.
        assertThat(failures).hasSize(4).allSatisfy(e -> assertThat(e).hasMessageContaining("unavailable"));
        assertThat(rows()).containsOnlyKeys("r0");
    }

    /** Counts the table's requests; can hold the first one until released, and answer transactions 503. */
    private static final class HeldRequests implements HttpPipelinePolicy {
        private final AtomicInteger count = new AtomicInteger();
        private volatile CountDownLatch held = new CountDownLatch(0);
        private volatile CountDownLatch release = new CountDownLatch(0);
        private final AtomicBoolean holdNext = new AtomicBoolean();
        private volatile boolean failGroups;

        void holdFirst() {
            held = new CountDownLatch(1);
            release = new CountDownLatch(1);
            holdNext.set(true);
        }

        void awaitHeld() {
            try {
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        void release() {
            release.countDown();
        }

        /** Lets the held request go and holds the next one. */
        void releaseAndHoldNext() {
            CountDownLatch held = release;
            holdFirst();
            held.countDown();
        }

        void failGroups(boolean fail) {
            failGroups = fail;
        }

        void reset() {
            count.set(0);
        }

        int count() {
            return count.get();
        }

        private void gate(HttpPipelineCallContext context) {
            count.incrementAndGet();
            if (holdNext.compareAndSet(true, false)) {
                // Its own latch, read before the test is told: once told, the test may hold the next request.
                CountDownLatch mine = release;
                held.countDown();
                try {
                    mine.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        private boolean refused(HttpPipelineCallContext context) {
            return failGroups && context.getHttpRequest().getUrl().getPath().endsWith("$batch");
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            gate(context);
            return refused(context) ? new Unavailable(context.getHttpRequest()) : next.processSync();
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return Mono.fromRunnable(() -> gate(context))
                    .then(Mono.defer(() ->
                            refused(context) ? Mono.just(new Unavailable(context.getHttpRequest())) : next.process()));
        }
    }

    /** A 503 with no body, as a storage outage answers. */
    private static final class Unavailable extends HttpResponse {
        Unavailable(com.azure.core.http.HttpRequest request) {
            super(request);
        }

        @Override
        public int getStatusCode() {
            return 503;
        }

        @Override
        @SuppressWarnings("deprecation")
        public String getHeaderValue(String name) {
            return null;
        }

        @Override
        public com.azure.core.http.HttpHeaders getHeaders() {
            return new com.azure.core.http.HttpHeaders();
        }

        @Override
        public reactor.core.publisher.Flux<java.nio.ByteBuffer> getBody() {
            return reactor.core.publisher.Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(new byte[0]);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just("");
        }

        @Override
        public Mono<String> getBodyAsString(java.nio.charset.Charset charset) {
            return Mono.just("");
        }
    }
}
