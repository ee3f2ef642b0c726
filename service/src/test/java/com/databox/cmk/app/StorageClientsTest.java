package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.storage.queue.QueueMessageEncoding;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Storage's credential is only built where storage is reached by endpoint (issue 16, start-up). */
class StorageClientsTest {
    private static final String CONNECTION_STRING = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    private static final HttpClient NEVER_CALLED =
            request -> Mono.error(new AssertionError("no call expected: " + request.getUrl()));

    private final AtomicInteger credentialsBuilt = new AtomicInteger();

    private final Supplier<TokenCredential> credential = () -> {
        credentialsBuilt.incrementAndGet();
        return (TokenCredential) (TokenRequestContext context) -> Mono.error(new AssertionError("no token expected"));
    };

    @Test
    void aConnectionStringNeedsNoCredential() {
        StorageClients storage = new StorageClients(
                new Settings(Optional.of(CONNECTION_STRING), Optional.empty(), Optional.empty()),
                NEVER_CALLED,
                credential);

        assertThat(storage.table("orders").getTableName()).isEqualTo("orders");
        assertThat(storage.queue("cmk-events", QueueMessageEncoding.NONE).getQueueName())
                .isEqualTo("cmk-events");
        assertThat(credentialsBuilt).hasValue(0);
    }

    @Test
    void endpointsAreReachedWithTheServicesCredential() {
        StorageClients storage = new StorageClients(
                new Settings(
                        Optional.empty(),
                        Optional.of("https://account.table.core.windows.net"),
                        Optional.of("https://account.queue.core.windows.net")),
                NEVER_CALLED,
                credential);

        assertThat(storage.table("orders").getAccountName()).isEqualTo("account");
        assertThat(storage.queue("cmk-events", QueueMessageEncoding.NONE).getAccountName())
                .isEqualTo("account");
        assertThat(credentialsBuilt).hasValue(2);
    }

    @Test
    void neitherIsRefusedByName() {
        StorageClients storage = new StorageClients(
                new Settings(Optional.of(" "), Optional.empty(), Optional.empty()), NEVER_CALLED, credential);

        assertThatThrownBy(() -> storage.table("orders"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cmk.storage.table-endpoint");
        assertThat(credentialsBuilt).hasValue(0);
    }

    private record Settings(
            Optional<String> connectionString, Optional<String> tableEndpoint, Optional<String> queueEndpoint)
            implements CmkConfig.Storage {
        @Override
        public String ordersTable() {
            return CmkDefaults.ORDERS_TABLE;
        }

        @Override
        public String auditsTable() {
            return "audits";
        }

        @Override
        public String identitiesTable() {
            return "identities";
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public int maxRetries() {
            return 0;
        }

        @Override
        public String eventsQueue() {
            return "cmk-events";
        }

        @Override
        public String auditShardsQueue() {
            return "cmk-audit-shards";
        }
    }
}
