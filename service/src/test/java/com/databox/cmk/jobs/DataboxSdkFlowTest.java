package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.ScriptRun;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official Python Data Box management client (Debian's python3-azure, azure.mgmt.databox,
 * api-version 2020-11-01), unchanged, runs the seed's flow against the running app:
 * src/test/python/databox_seed_flow.py. This test makes the vaults, keys and identity, mints the
 * caller's token at the emulator's Entra ID issuer, starts the script and checks its exit code
 * and output. Without /usr/bin/python3 and the azure packages it fails: it is never skipped.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class DataboxSdkFlowTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/databox_seed_flow.py");

    @TestHTTPResource("/")
    URL app;

    @Test
    void officialPythonClientRunsTheSeedFlowUnchanged() throws Exception {
        requirePythonClient();
        IdentityInfo identity = CustomerKeyVault.newIdentity();
        CustomerKeyVault vaultA = CustomerKeyVault.create(identity);
        String keyV2 = vaultA.newVersion();
        CustomerKeyVault vaultB = CustomerKeyVault.create(identity);
        String weakKey = vaultA.newKey("RSA", 1024);
        CustomerKeyVault noPurge =
                CustomerKeyVault.create(identity, CustomerKeyVault.defaultTenantId(), true, false, false);
        CustomerKeyVault noPermission = CustomerKeyVault.create(identity);
        noPermission.setPermissions(identity.principalId(), "get", "wrapKey");

        String subscription = UUID.randomUUID().toString();
        String resourceGroup = "rg-sdk-" + UUID.randomUUID().toString().substring(0, 8);
        String job = "sdk_job." + UUID.randomUUID().toString().substring(0, 8);
        String token = LocalStack.callerToken(LocalStack.ALL_ROLES);

        Map<String, String> env = new HashMap<>();
        env.put("DATABOX_BASE_URL", app.toString().replaceAll("/+$", "") + "/api");
        env.put("DATABOX_SUBSCRIPTION", subscription);
        env.put("DATABOX_RESOURCE_GROUP", resourceGroup);
        env.put("DATABOX_JOB_NAME", job);
        env.put("DATABOX_TOKEN", token);
        env.put(
                "DATABOX_TOKEN_EXPIRES_ON",
                Long.toString(Instant.now().plusSeconds(3600).getEpochSecond()));
        env.put("EMULATOR_ADMIN_URL", EmulatorTestSupport.shared().adminUrl());
        env.put("VAULT_A_NAME", vaultA.name());
        env.put("VAULT_A_ID", vaultA.resourceId());
        env.put("KEY_A_V1", vaultA.keyUrl());
        env.put("KEY_A_V2", keyV2);
        env.put("VAULT_B_ID", vaultB.resourceId());
        env.put("KEY_B", vaultB.keyUrl());
        env.put("UAI_ID", identity.resourceId());
        env.put("WEAK_KEY", weakKey);
        env.put("NO_PURGE_VAULT_ID", noPurge.resourceId());
        env.put("NO_PURGE_KEY", noPurge.keyUrl());
        env.put("NO_PERMISSION_VAULT_ID", noPermission.resourceId());
        env.put("NO_PERMISSION_KEY", noPermission.keyUrl());
        env.put("NEW_TENANT_ID", UUID.randomUUID().toString());
        ScriptRun run;
        try {
            run = ScriptRun.run(List.of(PYTHON.toString(), SCRIPT.toString()), env, Duration.ofMinutes(5))
                    .print("databox_seed_flow.py");
        } finally {
            // The script moved the subscription to another tenant (step 8).
            CustomerKeyVault.admin().moveSubscription(null);
        }
        String output = run.output();
        assertThat(run.finished()).as("the script finished within 5 minutes").isTrue();
        assertThat(run.exitCode())
                .as("exit code of databox_seed_flow.py; its output:\n" + output)
                .isZero();
        assertThat(output)
                .contains(
                        "SEED FLOW PASSED",
                        "SsemUserErrorEncryptionKeyTypeNotSupported",
                        "SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled",
                        "SsemUserErrorKeyVaultBadRequestException",
                        "SsemUserErrorCrossTenantIdentityAccessForbidden");

        // The order behind the job: the same device password the SDK saw throughout, now known to the secret scan.
        String orderName = new JobKey(subscription, resourceGroup, job).orderName();
        String password = CmkOrder.listCredentials(orderName);
        // A boolean, so that a failure does not put the password into the test report.
        assertThat(output.contains(password))
                .as("the script printed the device password")
                .isFalse();
    }

    /** The Debian-packaged SDK must be there (.ci/run installs python3-azure); a missing one is a failure. */
    private static void requirePythonClient() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: install Python 3 and the Azure SDK (apt-get install -y python3-azure).");
        }
        Process probe = new ProcessBuilder(
                        PYTHON.toString(), "-c", "import azure.mgmt.databox, azure.core; print(azure.core.__version__)")
                .redirectErrorStream(true)
                .start();
        String answer = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!probe.waitFor(60, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            fail("The Python Data Box management client is missing (import azure.mgmt.databox failed): "
                    + "apt-get install -y python3-azure. Python said: " + answer);
        }
    }
}
