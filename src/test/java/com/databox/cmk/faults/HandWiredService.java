package com.databox.cmk.faults;

import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.KeyRequirements;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.identity.LocalIdentityDirectory;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.keyvault.KeyVaultClients;
import com.databox.cmk.keyvault.KeyVaultSettings;
import com.databox.cmk.keyvault.SdkKeyVaultGateway;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.OrderSettings;
import com.databox.cmk.order.Orders;
import com.databox.cmk.storage.TableOrders;
import com.databox.cmk.unlockkey.UnlockKeyProtector;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The production classes wired by hand, without Quarkus, exactly as {@code app/ServiceBeans} wires
 * them from configuration: for a child JVM that can be killed, and for storage that a test owns.
 */
public final class HandWiredService implements AutoCloseable {

    /** What {@code ServiceBeans} reads from {@code cmk.*} configuration. */
    public record Settings(String connectionString, String trustedCertificatePem, String directoryAdminUrl,
            String directoryTenantId, String microsoftKeyUrl, Duration keyVaultTimeout) {

        public List<String> toArgs() {
            return List.of(connectionString, trustedCertificatePem, directoryAdminUrl, directoryTenantId, microsoftKeyUrl,
                    keyVaultTimeout.toString());
        }

        public static Settings fromArgs(String[] args, int offset) {
            return new Settings(args[offset], args[offset + 1], args[offset + 2], args[offset + 3], args[offset + 4],
                    Duration.parse(args[offset + 5]));
        }

        static final int ARG_COUNT = 6;
    }

    private final Vertx vertx;
    private final Orders orders;
    private final OrderService orderService;
    private final EncryptionService encryption;

    private HandWiredService(Vertx vertx, Orders orders, OrderService orderService, EncryptionService encryption) {
        this.vertx = vertx;
        this.orders = orders;
        this.orderService = orderService;
        this.encryption = encryption;
    }

    public static HandWiredService start(Settings settings) {
        Vertx vertx = Vertx.vertx();
        HttpClient plain = new VertxHttpClientBuilder().vertx(vertx).build();
        VaultHostPolicy hosts = new VaultHostPolicy(
                List.of("vault.azure.net", "vault.usgovcloudapi.net", "vault.azure.cn", "managedhsm.azure.net"),
                List.of("127.0.0.1"));
        KeyVaultClients clients = new KeyVaultClients(new KeyVaultSettings(hosts,
                Optional.of(Path.of(settings.trustedCertificatePem())), 3, Duration.ofMillis(50),
                settings.keyVaultTimeout()), vertx);
        ManagedIdentityCredentials credentials = new ManagedIdentityCredentials(plain);
        SdkKeyVaultGateway gateway = new SdkKeyVaultGateway(clients, credentials);
        LocalIdentityDirectory directory = new LocalIdentityDirectory(URI.create(settings.directoryAdminUrl()),
                settings.directoryTenantId());
        KeyRequirements requirements = new KeyRequirements(gateway, clients.hostPolicy(), directory, Clock.systemUTC());
        UnlockKeyProtector protector = new UnlockKeyProtector(gateway, new SecureRandom());
        Orders orders = new TableOrders(ordersTable(settings.connectionString(), plain));
        OrderService orderService = new OrderService(orders, directory, protector,
                new OrderSettings(settings.microsoftKeyUrl(), 20), Clock.systemUTC());
        EncryptionService encryption = new EncryptionService(orders, orderService, requirements, protector,
                settings.microsoftKeyUrl(), new SecureRandom(), Clock.systemUTC());
        return new HandWiredService(vertx, orders, orderService, encryption);
    }

    /** As {@code StorageClients.table}: the table is created on first use. */
    static TableClient ordersTable(String connectionString, HttpClient httpClient) {
        TableServiceClient service = new TableServiceClientBuilder().httpClient(httpClient)
                .connectionString(connectionString).buildClient();
        TableClient created = service.createTableIfNotExists("orders");
        return created != null ? created : service.getTableClient("orders");
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

    @Override
    public void close() {
        vertx.close();
    }
}
