package com.databox.cmk.app;

import com.azure.core.http.HttpClient;
import com.azure.identity.CredentialUnavailableException;
import com.azure.storage.queue.QueueMessageEncoding;
import com.databox.cmk.api.RequestTenants;
import com.databox.cmk.audit.AuditRetention;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditSettings;
import com.databox.cmk.audit.ShardQueue;
import com.databox.cmk.edge.RequestDeadlines;
import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.identity.ArmIdentityDirectory;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.identity.TokensWithin;
import com.databox.cmk.keyvault.KeyVaultClients;
import com.databox.cmk.keyvault.KeyVaultSettings;
import com.databox.cmk.keyvault.SdkKeyVaultGateway;
import com.databox.cmk.order.IdentityUse;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.SystemAssignedLimit;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.outbox.CmkEvents;
import com.databox.cmk.outbox.Outbox;
import com.databox.cmk.outbox.OutboxRelay;
import com.databox.cmk.outbox.OutboxSettings;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.storage.QueueShardQueue;
import com.databox.cmk.storage.TableAuditRuns;
import com.databox.cmk.storage.TableIdentityRegistry;
import com.databox.cmk.storage.TableOrders;
import com.databox.cmk.storage.TenantQueueCmkEvents;
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
import java.util.List;
import java.util.Optional;

/** Wires the domain to its Azure adapters from configuration. */
@ApplicationScoped
public class ServiceBeans {

    /**
     * Each port comes in as an application-scoped bean's client proxy, built on its first call: wiring
     * the services calls none of them, so the first listing builds the orders' table only, not the
     * credentials, ARM, Key Vault or identity-registry clients (issue 16, start-up).
     */
    @Produces
    @ApplicationScoped
    CmkServices services(
            Orders orders,
            Outbox outbox,
            ArmIdentityDirectory directory,
            IdentityUse identityUse,
            IdentityRegistry registry,
            KeyVaultGateway gateway,
            CmkConfig config,
            StorageClients storage,
            ObjectMapper json) {
        CmkEvents events = events(config, storage, json);
        return CmkServices.create(
                new CmkServices.Ports(
                        orders,
                        new RegisteringDirectory(directory, registry, CmkServices.CLOCK),
                        identityUse,
                        gateway,
                        vaultHosts(config.keyvault()),
                        events,
                        outbox),
                new CmkServices.Settings(
                        config.microsoftKey().url(),
                        config.identity().userAssignedLimit(),
                        new SystemAssignedLimit(
                                config.identity().systemAssignedLimit(),
                                config.identitySweep().finishedOrderRetention()),
                        auditSettings(config),
                        new OutboxSettings(
                                config.outbox().pageSize(), config.outbox().maxPerSweep())));
    }

    /**
     * Each tenant's queue is reached on its first event only, as the audit's storage is. One try a publish: the
     * event waits in the outbox, whose sweep is the retry. Retried within a change's request, a queue that
     * stopped answering held the answer 15 s (three tries of 5 s), and each try that timed out may still have
     * been stored: one event published three times, and the sweep's a fourth.
     */
    static CmkEvents events(CmkConfig config, StorageClients storage, ObjectMapper json) {
        return new TenantQueueCmkEvents(
                config.storage().eventsQueue(), name -> storage.queue(name, QueueMessageEncoding.NONE, 0), json);
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
        return new SdkKeyVaultGateway(clients, credentials, RequestDeadlines::current, RequestTenants::current);
    }

    @Produces
    @ApplicationScoped
    KeyVaultClients keyVaultClients(CmkConfig config, Vertx vertx) {
        CmkConfig.KeyVault kv = config.keyvault();
        return new KeyVaultClients(
                new KeyVaultSettings(
                        vaultHosts(kv),
                        kv.trustedCertificate(),
                        kv.maxRetries(),
                        kv.retryDelay(),
                        kv.timeout(),
                        kv.maxRetryAfter(),
                        kv.requestDeadline(),
                        config.audit().concurrency(),
                        kv.maxWaitingRequests()),
                vertx);
    }

    @Produces
    @ApplicationScoped
    ManagedIdentityCredentials managedIdentityCredentials(
            CmkConfig config, Vertx vertx, Instance<ArmIdentityDirectory> directory) {
        return CredentialsFactory.create(
                config.identity(),
                config.keyvault().requestDeadline(),
                plainHttpClient(vertx),
                SdkHttpClients.forIdentityEndpoint(vertx),
                vertx,
                resourceId -> directory
                        .get()
                        .findUserAssigned(resourceId)
                        .map(UserAssignedIdentity::clientId)
                        // As the token service answers for an identity it does not know: no token (the identity's
                        // absence).
                        .orElseThrow(() -> new CredentialUnavailableException(
                                "The managed identity " + resourceId + " is not in the directory")));
    }

    static AuditSettings auditSettings(CmkConfig config) {
        CmkConfig.Audit audit = config.audit();
        return new AuditSettings(
                audit.shardSize(),
                audit.concurrency(),
                audit.shardsAtOnce(),
                audit.pairWait(),
                audit.stalledAfter(),
                audit.retention(),
                AuditSettings.directoryLookupsAtOnce(config.identity().arm().maxWaitingRequests()));
    }

    /** The Key Vault host allow-list, read from configuration without building the Key Vault clients. */
    static VaultHostPolicy vaultHosts(CmkConfig.KeyVault kv) {
        return VaultHostPolicy.of(
                kv.allowedHostSuffixes(), kv.allowedLocalHosts().orElse(List.of()));
    }

    @Produces
    @ApplicationScoped
    ArmIdentityDirectory identityDirectory(CmkConfig config, ManagedIdentityCredentials credentials, Vertx vertx) {
        return ArmDirectoryFactory.create(
                config.identity().arm(), config.keyvault().requestDeadline(), credentials, vertx);
    }

    /** Whether a caller may assign an identity: ARM's answer, asked through the directory's client. */
    @Produces
    @ApplicationScoped
    IdentityUse identityUse(ArmIdentityDirectory directory) {
        return directory.identityUse();
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
    AuditService auditService(
            CmkServices services,
            StorageClients storage,
            CmkConfig config,
            ObjectMapper json,
            ShardsQueuedHere shardsQueued) {
        CmkConfig.Storage names = config.storage();
        ShardQueue queue =
                new QueueShardQueue(storage.queue(names.auditShardsQueue(), QueueMessageEncoding.BASE64), json);
        return services.audit(
                new CmkServices.AuditPorts(new TableAuditRuns(storage.table(names.auditsTable())), shard -> {
                    queue.enqueue(shard);
                    shardsQueued.queued();
                }));
    }

    @Produces
    @ApplicationScoped
    AuditRetention auditRetention(CmkServices services, StorageClients storage, CmkConfig config) {
        return services.auditRetention(
                new TableAuditRuns(storage.table(config.storage().auditsTable())));
    }

    @Produces
    @ApplicationScoped
    IdentitySweep identitySweep(
            Orders orders, ArmIdentityDirectory directory, IdentityRegistry registry, CmkConfig config) {
        CmkConfig.IdentitySweep sweep = config.identitySweep();
        return new IdentitySweep(
                orders,
                registry,
                directory,
                new SweepSettings(sweep.settle(), sweep.finishedOrderRetention(), sweep.maxChanges()),
                CmkServices.CLOCK);
    }

    /** The identities the service created or was given: its own table, reached on first use. */
    @Produces
    @ApplicationScoped
    IdentityRegistry identityRegistry(StorageClients storage, CmkConfig config) {
        return new TableIdentityRegistry(storage.table(config.storage().identitiesTable()));
    }

    @Produces
    @ApplicationScoped
    StorageClients storageClients(CmkConfig config, Vertx vertx, ManagedIdentityCredentials credentials) {
        // Storage reached by connection string needs no credential, so none is built for it.
        return new StorageClients(
                config.storage(),
                SdkHttpClients.forStorage(vertx, config.storage().timeout()),
                () -> new TokensWithin(
                        credentials.credential(WrappingIdentity.SERVICE),
                        config.storage().timeout()));
    }

    private HttpClient plainHttpClient;

    /**
     * One connection pool for the token services, which need no special trust (Entra ID; the platform's identity
     * endpoint has a client of its own, which takes no proxy).
     */
    private synchronized HttpClient plainHttpClient(Vertx vertx) {
        if (plainHttpClient == null) {
            plainHttpClient = SdkHttpClients.create(vertx, Optional.empty(), SdkHttpClients.DEFAULT_RESPONSE_TIMEOUT);
        }
        return plainHttpClient;
    }
}
