package com.databox.cmk.faults;

import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.app.CmkServices;
import com.databox.cmk.app.StorageClients;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.emulator.keyvault.VaultRegistry;
import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.identity.ArmIdentityDirectory;
import com.databox.cmk.identity.ArmSettings;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.keyvault.KeyVaultClients;
import com.databox.cmk.keyvault.KeyVaultSettings;
import com.databox.cmk.keyvault.SdkKeyVaultGateway;
import com.databox.cmk.order.IdentityDirectory;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.Orders;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.storage.TableOrders;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The services outside Quarkus, on the production Azure adapters, assembled by {@link CmkServices}
 * as {@code app/ServiceBeans} assembles them: for a child JVM that can be killed, and for storage
 * that a test owns. Settings not given here are {@link CmkDefaults}.
 */
public final class StandaloneServices implements AutoCloseable {

    /** What {@code ServiceBeans} reads from {@code cmk.*} configuration. */
    public record Settings(
            String connectionString,
            String trustedCertificatePem,
            String armUrl,
            String subscriptionId,
            String resourceGroup,
            String location,
            String functionAppResourceId,
            String microsoftKeyUrl,
            Duration keyVaultTimeout) {

        /** The shared emulator's identity directory (its ARM API) and certificate. */
        public static Settings of(
                KeyVaultEmulator emulator, String connectionString, String microsoftKeyUrl, Duration keyVaultTimeout) {
            return new Settings(
                    connectionString,
                    emulator.caCertificatePemPath().toString(),
                    emulator.armUrl(),
                    emulator.subscriptionId(),
                    emulator.resourceGroup(),
                    emulator.location(),
                    emulator.functionAppResourceId(),
                    microsoftKeyUrl,
                    keyVaultTimeout);
        }

        public List<String> toArgs() {
            return List.of(
                    connectionString,
                    trustedCertificatePem,
                    armUrl,
                    subscriptionId,
                    resourceGroup,
                    location,
                    functionAppResourceId,
                    microsoftKeyUrl,
                    keyVaultTimeout.toString());
        }

        public static Settings fromArgs(String[] args, int offset) {
            return new Settings(
                    args[offset],
                    args[offset + 1],
                    args[offset + 2],
                    args[offset + 3],
                    args[offset + 4],
                    args[offset + 5],
                    args[offset + 6],
                    args[offset + 7],
                    Duration.parse(args[offset + 8]));
        }

        static final int ARG_COUNT = 9;
    }

    private final Vertx vertx;
    private final Orders orders;
    private final OrderService orderService;
    private final EncryptionService encryption;
    private final IdentityDirectory identities;

    private StandaloneServices(
            Vertx vertx,
            Orders orders,
            OrderService orderService,
            EncryptionService encryption,
            IdentityDirectory identities) {
        this.vertx = vertx;
        this.orders = orders;
        this.orderService = orderService;
        this.encryption = encryption;
        this.identities = identities;
    }

    public static StandaloneServices start(Settings settings) {
        return start(settings, Duration.ofSeconds(5), 2);
    }

    /** With the storage timeout and retries of the outage tests. */
    public static StandaloneServices start(Settings settings, Duration storageTimeout, int storageRetries) {
        Vertx vertx = Vertx.vertx();
        HttpClient plain = new VertxHttpClientBuilder().vertx(vertx).build();
        VaultHostPolicy hosts =
                VaultHostPolicy.of(CmkDefaults.vaultHostSuffixes(), List.of("127.0.0.1:" + VaultRegistry.PORTS));
        // Short retry delays: the fault tests make Key Vault fail on purpose.
        KeyVaultClients clients = new KeyVaultClients(
                new KeyVaultSettings(
                        hosts,
                        Optional.of(Path.of(settings.trustedCertificatePem())),
                        CmkDefaults.maxRetries(),
                        Duration.ofMillis(50),
                        settings.keyVaultTimeout(),
                        CmkDefaults.maxRetryAfter(),
                        CmkDefaults.keyVaultRequestDeadline(),
                        CmkDefaults.audit().concurrency(),
                        CmkDefaults.maxWaitingRequests()),
                vertx);
        ManagedIdentityCredentials credentials = new ManagedIdentityCredentials(plain);
        SdkKeyVaultGateway gateway = new SdkKeyVaultGateway(clients, credentials);
        HttpClient trusting = new VertxHttpClientBuilder()
                .vertx(vertx)
                .httpClientOptions(new HttpClientOptions()
                        .setTrustOptions(new PemTrustOptions().addCertPath(settings.trustedCertificatePem())))
                .build();
        ArmIdentityDirectory directory = new ArmIdentityDirectory(
                new ArmSettings(
                        URI.create(settings.armUrl()),
                        settings.subscriptionId(),
                        settings.resourceGroup(),
                        settings.location(),
                        settings.functionAppResourceId(),
                        CmkDefaults.maxRetries(),
                        Duration.ofMillis(50),
                        CmkDefaults.maxWaitingRequests(),
                        Duration.ofSeconds(30)),
                new ManagedIdentityCredentialBuilder().httpClient(plain).build(),
                trusting);
        Orders orders = new TableOrders(ordersTable(
                settings.connectionString(),
                SdkHttpClients.forStorage(vertx, storageTimeout),
                StorageClients.retries(storageRetries)));
        CmkServices services = CmkServices.create(
                new CmkServices.Ports(orders, directory, directory.identityUse(), gateway, clients.hostPolicy()),
                CmkServices.Settings.defaults(settings.microsoftKeyUrl()));
        return new StandaloneServices(vertx, orders, services.orders(), services.encryption(), directory);
    }

    /** As {@code StorageClients.table}: the table is created when a call finds it missing. */
    static TableClient ordersTable(String connectionString, HttpClient httpClient, RetryOptions retries) {
        return new TableServiceClientBuilder()
                .httpClient(httpClient)
                .retryOptions(retries)
                .connectionString(connectionString)
                .buildClient()
                .getTableClient(CmkDefaults.ORDERS_TABLE);
    }

    public Orders orders() {
        return orders;
    }

    public OrderService orderService() {
        return orderService;
    }

    public EncryptionService encryption() {
        return encryption;
    }

    /** The emulator's managed identities, as the services reach them (Azure Resource Manager). */
    public IdentityDirectory identities() {
        return identities;
    }

    @Override
    public void close() {
        vertx.close();
    }
}
