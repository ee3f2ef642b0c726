package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import com.databox.cmk.testing.Azurite;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A held message against Azurite's queue service: kept invisible past its visibility, deleted with its latest receipt. */
class HeldQueueMessageTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(2);

    private QueueClient queue;

    @BeforeEach
    void createQueue() {
        queue = new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName("held-" + UUID.randomUUID())
                .buildClient();
        queue.create();
        queue.sendMessage("shard 0");
    }

    @AfterEach
    void deleteQueue() {
        queue.delete();
    }

    @Test
    void aHeldMessageStaysInvisiblePastItsVisibilityAndIsDeletedWithItsLatestReceipt() throws InterruptedException {
        HeldQueueMessage held = takeOne();

        // Three visibilities: without renewals it would have come back twice.
        Thread.sleep(VISIBILITY.multipliedBy(3).toMillis());
        assertThat(receive()).isEmpty();

        held.delete();
        Thread.sleep(VISIBILITY.plusMillis(500).toMillis());
        assertThat(queue.peekMessages(32, null, null).stream().toList()).isEmpty();
    }

    @Test
    void aMessageLetGoComesBackAfterItsVisibility() throws InterruptedException {
        HeldQueueMessage held = takeOne();
        Thread.sleep(VISIBILITY.toMillis());

        held.close();
        Thread.sleep(VISIBILITY.plusMillis(500).toMillis());
        List<QueueMessageItem> again = receive();
        assertThat(again).hasSize(1);
        assertThat(again.getFirst().getBody().toString()).isEqualTo("shard 0");
        assertThat(again.getFirst().getDequeueCount()).isEqualTo(2);
    }

    /** Work not started (a drain out of time) is given back: the next receiver takes it at once, not a visibility later. */
    @Test
    void aMessageGivenBackIsVisibleAtOnce() {
        List<HeldQueueMessage> taken = HeldQueueMessage.receive(queue, 32, Duration.ofSeconds(30));
        assertThat(taken).hasSize(1);
        assertThat(receive()).as("held").isEmpty();

        taken.getFirst().giveBack();
        List<QueueMessageItem> again = receive();
        assertThat(again).hasSize(1);
        assertThat(again.getFirst().getBody().toString()).isEqualTo("shard 0");
        assertThat(again.getFirst().getDequeueCount()).isEqualTo(2);
    }

    /**
     * The message is renewed well within its visibility (every third of it), not as it runs out: a renewal that
     * comes after the visibility lets another instance take the shard meanwhile and audit it twice.
     */
    @Test
    void aHeldMessageIsRenewedWellBeforeItsVisibilityRunsOut() throws InterruptedException {
        List<Long> renewals = new CopyOnWriteArrayList<>();
        QueueClient watched = new QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName(queue.getQueueName())
                .addPolicy((context, next) -> {
                    HttpRequest request = context.getHttpRequest();
                    String query = request.getUrl().getQuery();
                    if (request.getHttpMethod() == HttpMethod.PUT && query != null && query.contains("popreceipt")) {
                        renewals.add(System.nanoTime());
                    }
                    return next.process();
                })
                .buildClient();
        long taken = System.nanoTime();
        List<HeldQueueMessage> held = HeldQueueMessage.receive(watched, 32, VISIBILITY);
        assertThat(held).hasSize(1);
        Thread.sleep(VISIBILITY.toMillis());
        held.getFirst().delete();

        assertThat(renewals).as("renewed within its first visibility").isNotEmpty();
        assertThat(Duration.ofNanos(renewals.getFirst() - taken))
                .as("the first renewal")
                .isLessThan(VISIBILITY.multipliedBy(2).dividedBy(3));
    }

    private HeldQueueMessage takeOne() {
        List<HeldQueueMessage> taken = HeldQueueMessage.receive(queue, 32, VISIBILITY);
        assertThat(taken).hasSize(1);
        return taken.getFirst();
    }

    private List<QueueMessageItem> receive() {
        return queue.receiveMessages(32, VISIBILITY, null, null).stream().toList();
    }
}
