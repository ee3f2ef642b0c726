package com.databox.cmk.app;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.databox.cmk.identity.SdkHttpLogs;
import com.databox.cmk.storage.EarlyContinuation;
import com.databox.cmk.storage.TransactionEtags;
import java.util.function.Supplier;

/**
 * Tables and queues of the service's storage account: from a connection string
 * (AzureWebJobsStorage), or from endpoints reached with the service's own credential (the function
 * app's managed identity on Azure).
 * Nothing is called here: a table or queue is created when a call finds it missing
 * (storage/StorageCalls), so a storage outage at start-up costs nothing but the calls that need it.
 * The HTTP client given has the storage timeouts; the retries are the SDK's, bounded here.
 */
public final class StorageClients {
    private final CmkConfig.Storage config;
    private final HttpClient httpClient;
    private final Supplier<TokenCredential> credential;

    /** {@code credential} is asked for only when storage is reached by endpoint, not by connection string. */
    StorageClients(CmkConfig.Storage config, HttpClient httpClient, Supplier<TokenCredential> credential) {
        this.config = config;
        this.httpClient = httpClient;
        this.credential = credential;
    }

    TableClient table(String name) {
        TableServiceClientBuilder builder = new TableServiceClientBuilder()
                .httpClient(httpClient)
                .httpLogOptions(SdkHttpLogs.none())
                .retryOptions(retries())
                .addPolicy(new TransactionEtags())
                .addPolicy(new EarlyContinuation());
        connectionString()
                .ifPresentOrElse(
                        builder::connectionString,
                        () -> builder.endpoint(required(config.tableEndpoint(), "cmk.storage.table-endpoint"))
                                .credential(credential.get()));
        return builder.buildClient().getTableClient(name);
    }

    public QueueClient queue(String name, QueueMessageEncoding encoding) {
        return queue(name, encoding, config.maxRetries());
    }

    /** As {@link #queue(String, QueueMessageEncoding)}, with {@code maxRetries} retries of a failed or timed-out call. */
    public QueueClient queue(String name, QueueMessageEncoding encoding, int maxRetries) {
        QueueServiceClientBuilder builder = new QueueServiceClientBuilder()
                .httpClient(httpClient)
                .httpLogOptions(SdkHttpLogs.none())
                .messageEncoding(encoding)
                .retryOptions(retries(maxRetries));
        connectionString()
                .ifPresentOrElse(
                        builder::connectionString,
                        () -> builder.endpoint(required(config.queueEndpoint(), "cmk.storage.queue-endpoint"))
                                .credential(credential.get()));
        return builder.buildClient().getQueueClient(name);
    }

    private RetryOptions retries() {
        return retries(config.maxRetries());
    }

    /** The SDK's retries of a failed or timed-out storage call, with short back-offs. */
    public static RetryOptions retries(int maxRetries) {
        return new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(maxRetries)
                .setBaseDelay(java.time.Duration.ofMillis(200))
                .setMaxDelay(java.time.Duration.ofSeconds(2)));
    }

    private java.util.Optional<String> connectionString() {
        return config.connectionString().filter(s -> !s.isBlank());
    }

    private static String required(java.util.Optional<String> value, String name) {
        return value.orElseThrow(
                () -> new IllegalStateException("Set cmk.storage.connection-string (AzureWebJobsStorage) or " + name));
    }
}
