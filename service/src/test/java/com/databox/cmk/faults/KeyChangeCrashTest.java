package com.databox.cmk.faults;

import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The process that changes a key is killed ({@code destroyForcibly}, as a host crash would) at each
 * step of the change: the change runs in a child JVM ({@link KeyChangeProcess}) with the production
 * classes wired by hand, and each step is held open by the emulator (a delay on exactly that vault and
 * operation) or by a proxy in front of the table, until the test has seen the call arrive and killed
 * the child. Afterwards the stored order is either exactly as before or the change is fully applied,
 * its configuration unwraps its stored wrapped key (the original device password), and the same
 * change, retried through the API, succeeds.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class KeyChangeCrashTest {

    /** Long enough to kill the child while the call is held; the emulator thread sleeps it out. */
    private static final long HOLD_MS = 5000;

    private static CustomerKeyVault oldVault;
    private static CustomerKeyVault newVault;

    private final List<Process> children = new ArrayList<>();

    enum Step {
        UNWRAP_WITH_CURRENT_KEY(true, "unwrapKey", null, false),
        GET_NEW_KEY(false, "get", null, false),
        WRAP_WITH_NEW_KEY(false, "wrapKey", null, false),
        VERIFYING_UNWRAP_WITH_NEW_KEY(false, "unwrapKey", null, false),
        BEFORE_TABLE_WRITE(false, null, HoldingProxy.Mode.HOLD_REQUEST, false),
        AFTER_TABLE_WRITE(false, null, HoldingProxy.Mode.HOLD_RESPONSE, true);

        final boolean inOldVault;
        final String operation;
        final HoldingProxy.Mode proxyMode;
        final boolean applied;

        Step(boolean inOldVault, String operation, HoldingProxy.Mode proxyMode, boolean applied) {
            this.inOldVault = inOldVault;
            this.operation = operation;
            this.proxyMode = proxyMode;
            this.applied = applied;
        }
    }

    @BeforeAll
    static void vaults() {
        oldVault = CustomerKeyVault.create();
        // The same identity can use the key in the second vault: change-key keeps the identity.
        newVault = CustomerKeyVault.create(oldVault.identity());
    }

    @AfterEach
    void cleanUp() {
        children.forEach(Process::destroyForcibly);
        CmkOrder.clearFaults();
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void killedAtEachStepTheOrderStaysConsistentAndTheChangeCanBeRetried(Step step) throws Exception {
        CmkOrder order = CmkOrder.create().enableUserAssigned(oldVault);
        CmkOrder.Snapshot before = order.snapshot();
        String target = newVault.keyUrl();

        if (step.proxyMode != null) {
            try (HoldingProxy proxy = new HoldingProxy(Azurite.shared().tablePort(), step.proxyMode)) {
                Process child =
                        startChild(Azurite.shared().connectionStringWithTablePort(proxy.port()), order.name(), target);
                assertThat(proxy.awaitHeld(60))
                        .as("the child reached the table write")
                        .isTrue();
                kill(child);
            }
        } else {
            CustomerKeyVault vault = step.inOldVault ? oldVault : newVault;
            long arrivedBefore = admin().requests(vault.name()).of(step.operation);
            admin().injectFault(vault.name(), step.operation, 0, 1, 0, HOLD_MS);
            Process child = startChild(Azurite.shared().connectionString(), order.name(), target);
            awaitOrFail(
                    () -> admin().requests(vault.name()).of(step.operation) > arrivedBefore,
                    child,
                    step.operation + " on " + vault.name());
            kill(child);
        }

        CmkOrder.Snapshot after = order.snapshot();
        if (step.applied) {
            assertThat(after.etag()).as("ETag after the write").isNotEqualTo(before.etag());
            assertThat(after.keyEncryptionKey()).containsEntry("kekUrl", target);
            assertThat(after.wrappedKeyId()).as("stored wrapped key id").isEqualTo(target);
        } else {
            order.assertUnchangedSince(before);
        }
        assertConsistent(order);

        order.changeKey(target, newVault.resourceId()).then().statusCode(200);
        assertThat(order.storedWrappedKeyId()).isEqualTo(target);
        assertConsistent(order);
    }

    /** Configuration and stored wrapped key agree, and they unwrap to the password made at creation. */
    private static void assertConsistent(CmkOrder order) {
        Map<String, Object> kek = order.get().path("keyEncryptionKey");
        TableEntity raw = CmkOrder.rawEntity(order.name());
        assertThat(raw.getProperty("WrappedKeyId"))
                .as("stored wrapped key id against the configuration")
                .isEqualTo(kek.get("kekUrl"));
        order.assertPasswordKept();
    }

    private Process startChild(String connectionString, String orderName, String newKekUrl) throws IOException {
        KeyVaultEmulator emulator = EmulatorTestSupport.shared();
        StandaloneServices.Settings settings = StandaloneServices.Settings.of(
                emulator, connectionString, LocalStack.microsoftKeyUrl(), LocalStack.KEYVAULT_TIMEOUT.plusSeconds(30));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        command.add(KeyChangeProcess.class.getName());
        command.addAll(settings.toArgs());
        command.add(orderName);
        command.add(newKekUrl);
        command.add(newVault.resourceId());
        command.add(LocalStack.tenant().value());
        Path log = Files.createTempFile("key-change-child", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // IDENTITY_ENDPOINT and IDENTITY_HEADER are inherited from this JVM's environment.
        assertThat(builder.environment()).containsKeys("IDENTITY_ENDPOINT", "IDENTITY_HEADER");
        Process child = builder.start();
        children.add(child);
        childLogs.put(child, log);
        return child;
    }

    private final Map<Process, Path> childLogs = new java.util.HashMap<>();

    private void awaitOrFail(BooleanSupplier arrived, Process child, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!arrived.getAsBoolean()) {
            if (!child.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("The child never reached " + what + " (alive: " + child.isAlive() + "): "
                        + Files.readString(childLogs.get(child)));
            }
            Thread.sleep(20);
        }
    }

    private void kill(Process child) throws Exception {
        assertThat(child.isAlive())
                .as("the child is still in the held step: " + Files.readString(childLogs.get(child)))
                .isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child died").isTrue();
        assertThat(Files.readString(childLogs.get(child)))
                .as("the child never finished the change")
                .doesNotContain("CHANGED");
    }
}
