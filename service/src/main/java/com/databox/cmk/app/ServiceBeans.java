package com.databox.cmk.app;

import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditSettings;
import com.databox.cmk.edge.RequestDeadlines;
import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.identity.ArmIdentityDirectory;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.keyvault.KeyVaultClients;
import com.databox.cmk.keyvault.KeyVaultSettings;
import com.databox.cmk.keyvault.SdkKeyVaultGateway;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.outbox.CmkEvents;
import com.databox.cmk.outbox.Outbox;
import com.databox.cmk.outbox.OutboxRelay;
import com.databox.cmk.outbox.OutboxSettings;
import com.databox.cmk.storage.QueueCmkEvents;
import com.databox.cmk.storage.QueueShardQueue;
import com.databox.cmk.storage.TableAuditRuns;
import com.databox.cmk.storage.TableIdentityRegistry;
import com.databox.cmk.storage.TableOrders;
import com.databox.cmk.sweep.IdentityRegistry;
import com.databox.cmk.sweep.IdentitySweep;
import com.databox.cmk.sweep.RegisteringDirectory;
import com.databox.cmk.sweep.SweepSettings;
import com.databox.cmk.unlockkey.WrappingIdentity;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.List;

/** Wires the domain to its Azure adapters from configuration. */
@ApplicationScoped
public class ServiceBeans {

    @Produces
    @ApplicationScoped
    CmkServices services(
            Orders orders,
            Outbox outbox,
            ArmIdentityDirectory directory,
            KeyVaultGateway gateway,
            KeyVaultClients clients,
            CmkConfig config,
            StorageClients storage,
            ObjectMapper json) {
        CmkConfig.Audit audit = config.audit();
        // The queue is reached on the first event only, as the audit's storage is.
        CmkEvents events = new CmkEvents() {
            private QueueCmkEvents queue;

            @Override
            public synchronized void publish(CmkEvent event) {
                if (queue == null) {
                    queue = new QueueCmkEvents(
                            storage.queue(config.storage().eventsQueue(), QueueMessageEncoding.NONE), json);
                }
                queue.publish(event);
            }
        };
        return CmkServices.create(
                new CmkServices.Ports(
                        orders,
                        new RegisteringDirectory(directory, identityRegistry(storage, config), Clock.systemUTC()),
                        directory.identityUse(),
                        gateway,
                        clients.hostPolicy(),
                        events,
                        outbox),
                new CmkServices.Settings(
                        config.microsoftKey().url(),
                        config.identity().userAssignedLimit(),
                        new AuditSettings(audit.shardSize(), audit.concurrency(), audit.pairWait()),
                        new OutboxSettings(
                                config.outbox().pageSize(), config.outbox().maxPerSweep())));
    }

    @Produces
    @ApplicationScoped
    OrderService orderService(CmkServices services) {
        return services.orders();
    }

    @Produces
    @ApplicationScoped
    EncryptionService encryptionService(CmkServices services) {
        return services.encryption();
    }

    @Produces
    @ApplicationScoped
    KeyVaultGateway keyVaultGateway(KeyVaultClients clients, ManagedIdentityCredentials credentials) {
        return new SdkKeyVaultGateway(clients, credentials, RequestDeadlines::current);
    }

    @Produces
    @ApplicationScoped
    KeyVaultClients keyVaultClients(CmkConfig config, Vertx vertx) {
        CmkConfig.KeyVault kv = config.keyvault();
        VaultHostPolicy hosts = VaultHostPolicy.of(
                kv.allowedHostSuffixes(), kv.allowedLocalHosts().orElse(List.of()));
        return new KeyVaultClients(
                new KeyVaultSettings(
                        hosts,
                        kv.trustedCertificate(),
                        kv.maxRetries(),
                        kv.retryDelay(),
                        kv.timeout(),
                        kv.maxRetryAfter(),
                        kv.requestDeadline()),
                vertx);
    }

    @Produces
    @ApplicationScoped
    ManagedIdentityCredentials managedIdentityCredentials(
            CmkConfig config, Vertx vertx, Instance<ArmIdentityDirectory> directory) {
        return CredentialsFactory.create(
                config.identity(),
                plainHttpClient(vertx),
                vertx,
                resourceId -> directory
                        .get()
                        .findUserAssigned(resourceId)
                        .map(UserAssignedIdentity::clientId)
                        .orElseThrow(() -> new IllegalStateException("No managed identity " + resourceId)));
    }

    @Produces
    @ApplicationScoped
    ArmIdentityDirectory identityDirectory(CmkConfig config, ManagedIdentityCredentials credentials, Vertx vertx) {
        return ArmDirectoryFactory.create(config.identity().arm(), credentials, vertx);
    }

    /** The orders and their outbox (one table); the services relay a change's events themselves. */
    @Produces
    @ApplicationScoped
    TableOrders orders(StorageClients storage, CmkConfig config) {
        return new TableOrders(storage.table(config.storage().ordersTable()));
    }

    @Produces
    @ApplicationScoped
    OutboxRelay outboxRelay(CmkServices services) {
        return services.outboxRelay().orElseThrow();
    }

    @Produces
    @ApplicationScoped
    AuditService auditService(CmkServices services, StorageClients storage, CmkConfig config, ObjectMapper json) {
        CmkConfig.Storage names = config.storage();
        return services.audit(new CmkServices.AuditPorts(
                new TableAuditRuns(storage.table(names.auditsTable())),
                new QueueShardQueue(storage.queue(names.auditShardsQueue(), QueueMessageEncoding.BASE64), json)));
    }

    @Produces
    @ApplicationScoped
    IdentitySweep identitySweep(
            Orders orders, ArmIdentityDirectory directory, StorageClients storage, CmkConfig config) {
        CmkConfig.IdentitySweep sweep = config.identitySweep();
        return new IdentitySweep(
                orders,
                identityRegistry(storage, config),
                directory,
                new SweepSettings(sweep.settle(), sweep.finishedOrderRetention(), sweep.maxChanges()),
                Clock.systemUTC());
    }

    private static IdentityRegistry identityRegistry(StorageClients storage, CmkConfig config) {
        return new TableIdentityRegistry(storage.table(config.storage().identitiesTable()));
    }

    @Produces
    @ApplicationScoped
    StorageClients storageClients(CmkConfig config, Vertx vertx, ManagedIdentityCredentials credentials) {
        return new StorageClients(
                config.storage(),
                StorageClients.httpClient(vertx, config.storage().timeout()),
                credentials.credential(WrappingIdentity.SERVICE));
    }

    private HttpClient plainHttpClient;

    /** One connection pool for the identity endpoint and Storage, which need no special trust. */
    private synchronized HttpClient plainHttpClient(Vertx vertx) {
        if (plainHttpClient == null) {
            plainHttpClient = new VertxHttpClientBuilder().vertx(vertx).build();
        }
        return plainHttpClient;
    }
}
