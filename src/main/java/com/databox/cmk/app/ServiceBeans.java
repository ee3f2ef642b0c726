package com.databox.cmk.app;

import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.KeyRequirements;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.unlockkey.UnlockKeyProtector;
import com.databox.cmk.identity.LocalIdentityDirectory;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.keyvault.KeyVaultClients;
import com.databox.cmk.keyvault.KeyVaultSettings;
import com.databox.cmk.keyvault.SdkKeyVaultGateway;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.order.IdentityDirectory;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.OrderSettings;
import com.databox.cmk.order.Orders;
import com.databox.cmk.storage.TableOrders;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/** Wires the domain to its Azure adapters from configuration. */
@ApplicationScoped
public class ServiceBeans {

    @Produces
    @ApplicationScoped
    OrderService orderService(Orders orders, IdentityDirectory directory, UnlockKeyProtector protector, CmkConfig config) {
        return new OrderService(orders, directory, protector,
                new OrderSettings(config.microsoftKey().url(), config.identity().userAssignedLimit()), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    EncryptionService encryptionService(Orders orders, OrderService orderService, KeyRequirements requirements,
            UnlockKeyProtector protector, CmkConfig config) {
        return new EncryptionService(orders, orderService, requirements, protector, config.microsoftKey().url(),
                new SecureRandom(), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    KeyRequirements keyRequirements(KeyVaultGateway gateway, KeyVaultClients clients, IdentityDirectory directory) {
        return new KeyRequirements(gateway, clients.hostPolicy(), directory, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    UnlockKeyProtector unlockKeyProtector(KeyVaultGateway gateway) {
        return new UnlockKeyProtector(gateway, new SecureRandom());
    }

    @Produces
    @ApplicationScoped
    KeyVaultGateway keyVaultGateway(KeyVaultClients clients, ManagedIdentityCredentials credentials) {
        return new SdkKeyVaultGateway(clients, credentials);
    }

    @Produces
    @ApplicationScoped
    KeyVaultClients keyVaultClients(CmkConfig config, Vertx vertx) {
        CmkConfig.KeyVault kv = config.keyvault();
        VaultHostPolicy hosts = new VaultHostPolicy(kv.allowedHostSuffixes(), kv.allowedLocalHosts().orElse(List.of()));
        return new KeyVaultClients(new KeyVaultSettings(hosts, kv.trustedCertificate(), kv.maxRetries(),
                kv.retryDelay(), kv.timeout()), vertx);
    }

    @Produces
    @ApplicationScoped
    ManagedIdentityCredentials managedIdentityCredentials(Vertx vertx) {
        return new ManagedIdentityCredentials(plainHttpClient(vertx));
    }

    @Produces
    @ApplicationScoped
    IdentityDirectory identityDirectory(CmkConfig config) {
        String adminUrl = config.identity().directoryAdminUrl().orElseThrow(() -> new IllegalStateException(
                "cmk.identity.directory-admin-url is not set; only the local identity directory exists so far"));
        return new LocalIdentityDirectory(URI.create(adminUrl), config.identity().directoryTenantId().orElseThrow());
    }

    @Produces
    @ApplicationScoped
    Orders orders(CmkConfig config, Vertx vertx) {
        TableServiceClientBuilder builder = new TableServiceClientBuilder().httpClient(plainHttpClient(vertx));
        CmkConfig.Storage storage = config.storage();
        if (storage.connectionString().filter(s -> !s.isBlank()).isPresent()) {
            builder.connectionString(storage.connectionString().get());
        } else {
            builder.endpoint(storage.tableEndpoint().orElseThrow(() -> new IllegalStateException(
                    "Set cmk.storage.connection-string (AzureWebJobsStorage) or cmk.storage.table-endpoint")))
                    .credential(new ManagedIdentityCredentialBuilder().build());
        }
        TableServiceClient service = builder.buildClient();
        TableClient table = service.createTableIfNotExists(storage.ordersTable());
        return new TableOrders(table != null ? table : service.getTableClient(storage.ordersTable()));
    }

    private static HttpClient plainHttpClient(Vertx vertx) {
        return new VertxHttpClientBuilder().vertx(vertx).build();
    }
}
