package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.databox.cmk.storage.StorageCalls;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.LoggedRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * A queue not made yet (a new storage account's first shard, or the local dispatcher's first receive
 * on a new stack) is made by {@link StorageCalls} and the call answered, with no ERROR in the app's
 * log: the Storage SDK logs the 404 it meets first as an ERROR, with its stack trace, as it does every
 * failed call; the service's own handling logs what is worth it (application.properties).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class StorageSdkErrorLogTest {
    @Inject
    StorageClients storage;

    @Test
    void aQueueNotMadeYetIsMadeWithoutAnErrorInTheLog() {
        QueueClient queue = storage.queue("not-made-yet-" + UUID.randomUUID(), QueueMessageEncoding.BASE64);
        List<LogRecord> errors;
        try (LoggedRecords logged = LoggedRecords.capture(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())) {
            StorageCalls.forQueue(queue, StorageCalls.RETRY_AFTER).call(() -> queue.sendMessage("shard"));
            errors = logged.records();
        }

        try {
            assertThat(queue.peekMessage().getBody().toString()).isEqualTo("shard");
            assertThat(errors)
                    .extracting(logged -> logged.getLoggerName() + ": " + logged.getMessage())
                    .isEmpty();
        } finally {
            queue.deleteIfExists();
        }
    }
}
