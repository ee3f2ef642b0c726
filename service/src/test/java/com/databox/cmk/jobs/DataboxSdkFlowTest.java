package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.ScriptRun;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    private static final Path SCRIPT = Path.of("src/test/python/databox_seed_flow.py");

    @TestHTTPResource("/")
    URL app;

    @Test
    void officialPythonClientRunsTheSeedFlowUnchanged() throws Exception {
        ScriptRun.requirePythonModules("azure.mgmt.databox, azure.core");
        SeedFlowSetup setup = SeedFlowSetup.create("sdk");
        IdentityInfo identity = setup.identity();
        CustomerKeyVault noPurge =
                CustomerKeyVault.create(identity, CustomerKeyVault.defaultTenantId(), true, false, false);
        CustomerKeyVault noPermission = CustomerKeyVault.create(identity);
        noPermission.setPermissions(identity.principalId(), "get", "wrapKey");

        Map<String, String> env = setup.environment(app);
        env.put("NO_PURGE_VAULT_ID", noPurge.resourceId());
        env.put("NO_PURGE_KEY", noPurge.keyUrl());
        env.put("NO_PERMISSION_VAULT_ID", noPermission.resourceId());
        env.put("NO_PERMISSION_KEY", noPermission.keyUrl());
        env.put("NEW_TENANT_ID", UUID.randomUUID().toString());
        ScriptRun run;
        try {
            run = ScriptRun.run(List.of(ScriptRun.PYTHON.toString(), SCRIPT.toString()), env, Duration.ofMinutes(5))
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
        String orderName = new JobKey(setup.subscription(), setup.resourceGroup(), setup.job()).orderName();
        String password = CmkOrder.listCredentials(orderName);
        // A boolean, so that a failure does not put the password into the test report.
        assertThat(output.contains(password))
                .as("the script printed the device password")
                .isFalse();
    }
}
