package com.databox.cmk.app;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClientBuilder;

/**
 * Tables and queues of the service's storage account: from a connection string
 * (AzureWebJobsStorage), or from endpoints reached with the service's own credential (the function
 * app's managed identity on Azure).
 * Tables and queues are created on first use.
 */
final class StorageClients {
    private final CmkConfig.Storage config;
    private final HttpClient httpClient;
    private final TokenCredential credential;

    StorageClients(CmkConfig.Storage config, HttpClient httpClient, TokenCredential credential) {
        this.config = config;
        this.httpClient = httpClient;
        this.credential = credential;
    }

    TableClient table(String name) {
        TableServiceClientBuilder builder = new TableServiceClientBuilder().httpClient(httpClient);
        connectionString()
                .ifPresentOrElse(
                        builder::connectionString,
                        () -> builder.endpoint(required(config.tableEndpoint(), "cmk.storage.table-endpoint"))
                                .credential(credential));
        TableServiceClient service = builder.buildClient();
        TableClient created = service.createTableIfNotExists(name);
        return created != null ? created : service.getTableClient(name);
    }

    QueueClient queue(String name, QueueMessageEncoding encoding) {
        QueueServiceClientBuilder builder =
                new QueueServiceClientBuilder().httpClient(httpClient).messageEncoding(encoding);
        connectionString()
                .ifPresentOrElse(
                        builder::connectionString,
                        () -> builder.endpoint(required(config.queueEndpoint(), "cmk.storage.queue-endpoint"))
                                .credential(credential));
        QueueClient queue = builder.buildClient().getQueueClient(name);
        queue.createIfNotExists();
        return queue;
    }

    private java.util.Optional<String> connectionString() {
        return config.connectionString().filter(s -> !s.isBlank());
    }

    private static String required(java.util.Optional<String> value, String name) {
        return value.orElseThrow(
                () -> new IllegalStateException("Set cmk.storage.connection-string (AzureWebJobsStorage) or " + name));
    }
}
