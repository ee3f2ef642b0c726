package com.databox.cmk.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The emulator's conformance suite on the official Python SDK (Debian's python3-azure: azure-keyvault-keys,
 * azure-identity, azure-core), unchanged: src/test/python/keyvault_conformance.py runs against the shared
 * in-process emulator, with its settings in the script's environment only. The Python clients are stricter
 * in places than the Java and JavaScript ones (challenge flow, token response fields, error bodies,
 * deleted-key polling). Without /usr/bin/python3 or the SDK this test fails; it is never skipped.
 */
class PythonSdkConformanceTest {
    private static final Path SCRIPT = Path.of("src/test/python/keyvault_conformance.py");
    private static final long TIMEOUT_MINUTES = 5;

    @Test
    void officialPythonSdkPassesTheConformanceSuite() throws Exception {
        ScriptRun.requirePythonModules("azure.keyvault.keys, azure.identity, azure.core, cryptography");
        assertThat(SCRIPT).as("the suite, relative to the emulator module").isRegularFile();
        KeyVaultEmulator emulator = EmulatorTestSupport.shared();

        ScriptRun run = ScriptRun.run(
                        List.of(ScriptRun.PYTHON.toString(), SCRIPT.toString()),
                        Map.of(
                                "EMULATOR_ADMIN_URL", emulator.adminUrl(),
                                "EMULATOR_CA_CERT",
                                        emulator.caCertificatePemPath().toString(),
                                "EMULATOR_TENANT_ID", emulator.defaultTenantId(),
                                "APP_PRINCIPAL_ID", emulator.appPrincipalId(),
                                // ManagedIdentityCredential (App Service protocol) reads these two.
                                "IDENTITY_ENDPOINT", emulator.identityEndpoint(),
                                "IDENTITY_HEADER", emulator.identityHeader(),
                                // No __pycache__ in the source tree.
                                "PYTHONDONTWRITEBYTECODE", "1",
                                "PYTHONUNBUFFERED", "1"),
                        Duration.ofMinutes(TIMEOUT_MINUTES))
                .print("keyvault_conformance.py");
        String output = run.output();

        assertThat(run.finished())
                .as("keyvault_conformance.py finished within %d minutes; its output:%n%s", TIMEOUT_MINUTES, output)
                .isTrue();
        assertThat(run.exitCode())
                .as("exit code of keyvault_conformance.py; its output:%n%s", output)
                .isZero();
        assertThat(output.strip().lines().reduce((first, second) -> second).orElse(""))
                .as("the last line of keyvault_conformance.py's output:%n%s", output)
                .isEqualTo("PASSED");
        assertThat(output).containsPattern("(?m)^Ran [1-9][0-9]* tests in ");
    }
}
