package com.databox.cmk.faults;

import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Table Storage goes away between the unwrap and the write of a key change. The shared Azurite of
 * the other tests stays up: this test runs the production classes wired by hand against an Azurite
 * table service of its own, persisted to a folder so that its data survives the restart. The change
 * fails with an exception, nothing is written, and after the restart the order is as it was, its
 * password unwraps, and the same change succeeds.
 *
 * <p>A {@code @QuarkusTest} only so that it shares the test JVM's one Key Vault emulator with the app
 * tests (the app itself is not used).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class TableStorageGoneTest {

    private Azurite storage;
    private StandaloneServices service;

    @AfterEach
    void stop() {
        CmkOrder.clearFaults();
        if (service != null) {
            service.close();
        }
        if (storage != null) {
            storage.stopTables();
        }
    }

    @Test
    void tableStorageGoneBetweenUnwrapAndWriteFailsTheChangeAndLosesNothing() throws Exception {
        Path location = Files.createTempDirectory("azurite-private");
        storage = Azurite.privateTables(location);
        String connectionString = storage.connectionStringWithTablePort(storage.tablePort());
        KeyVaultEmulator emulator = EmulatorTestSupport.shared();
        service = StandaloneServices.start(StandaloneServices.Settings.of(
                emulator, connectionString, LocalStack.microsoftKeyUrl(), Duration.ofSeconds(10)));
        CustomerKeyVault vault = CustomerKeyVault.create();
        UserAssignedIdentityId identity =
                new UserAssignedIdentityId(vault.identity().resourceId());
        OrderRef name = new OrderRef(LocalStack.tenant(), new OrderName(CmkOrder.newName()));
        Order created = service.encryption()
                .create(
                        name,
                        new NewOrder(
                                "westus",
                                new IdentityUpdate(false, true, Set.of(identity), Set.of()),
                                new KeyEncryptionKeyRequest(
                                        RequestedKeyUrl.read(vault.keyUrl()),
                                        new VaultResourceId(vault.resourceId()),
                                        KeyIdentity.userAssigned(identity))),
                        LocalStack.caller());
        String password = reveal(name);
        String newVersion = vault.newVersion();
        TableClient table = new TableClientBuilder()
                .connectionString(connectionString)
                .tableName("orders")
                .buildClient();
        long rowsBefore = rowsOf(table, name);

        // Azurite saves its tables to the folder every 5 s and not when stopped with SIGTERM: wait until
        // the order is on disk, so that the restart brings back what was stored before the change.
        awaitOnDisk(location, name.name().value());

        // Hold the wrap with the new key: the unwrap with the current key has happened, the write has not.
        long wrapsBefore = admin().requests(vault.name()).of("wrapKey");
        admin().injectFault(vault.name(), "wrapKey", 0, 1, 0, 3000);
        Supplier<Order> changeToNewVersion = () -> service.encryption()
                .changeKey(
                        name,
                        RequestedKeyUrl.read(newVersion),
                        false,
                        new VaultResourceId(vault.resourceId()),
                        IfMatch.ABSENT,
                        "test");
        CompletableFuture<Order> change = CompletableFuture.supplyAsync(changeToNewVersion);
        Instant deadline = Instant.now().plusSeconds(30);
        while (admin().requests(vault.name()).of("wrapKey") == wrapsBefore) {
            assertThat(Instant.now()).as("the change reached the wrap").isBefore(deadline);
            assertThat(change).as("the change is still running").isNotDone();
            Thread.sleep(20);
        }
        assertThat(admin().requests(vault.name()).of("unwrapKey"))
                .as("the unwrap with the current key happened")
                .isPositive();
        storage.stopTables();

        Throwable failure = catchThrowable(() -> change.get(60, TimeUnit.SECONDS));
        assertThat(failure).as("the change fails without its table").isNotNull();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .as("no secret in the failure")
                    .doesNotContain(password)
                    .doesNotContain(Azurite.ACCOUNT_KEY);
        }

        storage.restartTables();
        TableEntity raw =
                table.getEntity(name.tenant().value(), "order~" + name.name().value());
        assertThat(raw.getETag()).as("the order's ETag").isEqualTo(created.etag());
        assertThat(raw.getProperty("WrappedKeyId"))
                .as("the stored wrapped key id")
                .isEqualTo(vault.keyUrl());
        assertThat(rowsOf(table, name)).as("no history row was added").isEqualTo(rowsBefore);
        assertThat(reveal(name)).as("the password unwraps as created").isEqualTo(password);

        Order changed = changeToNewVersion.get();
        assertThat(((KeyProtection.CustomerManaged) changed.protection())
                        .keyUrl()
                        .keyId())
                .isEqualTo(newVersion);
        assertThat(table.getEntity(name.tenant().value(), "order~" + name.name().value())
                        .getProperty("WrappedKeyId"))
                .isEqualTo(newVersion);
        assertThat(reveal(name)).as("the password after the retried change").isEqualTo(password);
    }

    private static void awaitOnDisk(Path location, String text) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (var files = Files.walk(location)) {
                boolean saved = files.filter(Files::isRegularFile).anyMatch(f -> {
                    try {
                        return Files.readString(f).contains(text);
                    } catch (java.io.IOException | java.io.UncheckedIOException beingWritten) {
                        return false;
                    }
                });
                if (saved) {
                    return;
                }
            }
            assertThat(Instant.now())
                    .as("Azurite saved the order to " + location)
                    .isBefore(deadline);
            Thread.sleep(200);
        }
    }

    /** The order's row and its history rows, in its tenant's partition. */
    private static long rowsOf(TableClient table, OrderRef order) {
        String name = order.name().value();
        return table
                .listEntities(
                        new ListEntitiesOptions()
                                .setFilter("PartitionKey eq '" + order.tenant().value() + "'"),
                        null,
                        null)
                .stream()
                .filter(e ->
                        e.getRowKey().equals("order~" + name) || e.getRowKey().startsWith("history~" + name + "~"))
                .count();
    }

    private String reveal(OrderRef name) {
        byte[] key = service.orderService().revealUnlockKey(name);
        String password = new String(key, StandardCharsets.US_ASCII);
        com.databox.cmk.testing.SeenSecrets.record(password);
        return password;
    }
}
