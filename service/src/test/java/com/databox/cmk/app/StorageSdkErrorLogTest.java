package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.SdkHttpLogs;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.storage.StorageCalls;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.LoggedRecords;
import com.databox.cmk.testing.SilentServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
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

    /**
     * DEPLOY.md says the Tables client's own logs are off: its service client's were not, and logged a bad connection
     * string's failure at ERROR on every call (bug bash ob1 F10).
     */
    @Test
    void theTablesClientsOwnLogsAreOff() {
        for (String logger : List.of("com.azure.data.tables.TableClient", "com.azure.data.tables.TableServiceClient")) {
            assertThat(java.util.logging.Logger.getLogger(logger).isLoggable(Level.SEVERE))
                    .as(logger)
                    .isFalse();
        }
    }

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

    /**
     * A queue that does not answer (Azurite paused) is an outage the service answers 503 and logs as a
     * warning; the Storage SDK's retry policy logged each try that timed out as an ERROR (a reliability bug
     * bash, 2026-12-05: the only ERROR lines of a handled outage).
     */
    @Test
    void aQueueThatDoesNotAnswerIsAnsweredUnavailableWithoutAnErrorInTheLog() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (SilentServer silent = SilentServer.start()) {
            QueueClient queue = new QueueServiceClientBuilder()
                    .httpClient(SdkHttpClients.forStorage(vertx, Duration.ofMillis(500)))
                    .httpLogOptions(SdkHttpLogs.none())
                    .retryOptions(StorageClients.retries(1))
                    .connectionString("DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT + ";AccountKey="
                            + Azurite.ACCOUNT_KEY + ";QueueEndpoint=http://127.0.0.1:" + silent.port() + "/"
                            + Azurite.ACCOUNT)
                    .buildClient()
                    .getQueueClient("never-answered");
            List<LogRecord> errors;
            Throwable failure;
            try (LoggedRecords logged =
                    LoggedRecords.capture(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())) {
                failure = catchThrowable(() ->
                        StorageCalls.forQueue(queue, StorageCalls.RETRY_AFTER).call(() -> queue.sendMessage("shard")));
                errors = logged.records();
            }

            assertThat(failure)
                    .isInstanceOfSatisfying(
                            ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.StorageUnavailable));
            assertThat(silent.connections()).as("tries made").isPositive();
            assertThat(errors)
                    .extracting(logged -> logged.getLoggerName() + ": " + logged.getMessage())
                    .isEmpty();
        } finally {
            vertx.close();
        }
    }
}
