package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.ScriptRun;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.emulator.tls.SelfSignedCertificate;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official JavaScript Data Box management client ({@code @azure/arm-databox} 5.0.0, the latest
 * release, api-version 2022-12-01; pinned in package.json), unchanged, runs the seed's flow against
 * the running app: src/test/js/databox_seed_flow.mjs. The Python client (DataboxSdkFlowTest) speaks
 * 2020-11-01; this one also proves If-Match's 412, mitigate, cancel and delete. This test makes the
 * vaults, keys and identity, the token, and the certificate of the TLS front the script puts before
 * the app (the JavaScript client sends bearer tokens over https only); it checks the script's exit
 * code and output. Without node_modules/@azure/arm-databox it fails: it is never skipped.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class DataboxJsSdkFlowTest {
    private static final Path SCRIPT = Path.of("src/test/js/databox_seed_flow.mjs");
    private static final Path CLIENT = Path.of("../node_modules/@azure/arm-databox/package.json");

    @TestHTTPResource("/")
    URL app;

    @Test
    void officialJavaScriptClientRunsTheSeedFlowUnchanged(@TempDir Path certificates) throws Exception {
        if (!Files.isRegularFile(CLIENT)) {
            fail(CLIENT.normalize() + " is missing: run npm ci at the repository's root (package-lock.json pins it).");
        }
        IdentityInfo identity = CustomerKeyVault.newIdentity();
        CustomerKeyVault vaultA = CustomerKeyVault.create(identity);
        String keyV2 = vaultA.newVersion();
        CustomerKeyVault vaultB = CustomerKeyVault.create(identity);
        String weakKey = vaultA.newKey("RSA", 1024);
        SelfSignedCertificate front = SelfSignedCertificate.create(certificates);

        String subscription = UUID.randomUUID().toString();
        String resourceGroup = "rg-js-" + UUID.randomUUID().toString().substring(0, 8);
        String job = "js_job." + UUID.randomUUID().toString().substring(0, 8);

        Map<String, String> env = new HashMap<>();
        env.put("DATABOX_BASE_URL", app.toString().replaceAll("/+$", "") + "/api");
        env.put("DATABOX_SUBSCRIPTION", subscription);
        env.put("DATABOX_RESOURCE_GROUP", resourceGroup);
        env.put("DATABOX_JOB_NAME", job);
        env.put("DATABOX_TOKEN", LocalStack.callerToken(LocalStack.ALL_ROLES));
        env.put(
                "DATABOX_TOKEN_EXPIRES_ON",
                Long.toString(Instant.now().plusSeconds(3600).getEpochSecond()));
        env.put("FRONT_PFX", front.pkcs12Path().toString());
        env.put("FRONT_PFX_PASSWORD", SelfSignedCertificate.PKCS12_PASSWORD);
        env.put("NODE_EXTRA_CA_CERTS", front.pemPath().toString());
        env.put("EMULATOR_ADMIN_URL", EmulatorTestSupport.shared().adminUrl());
        env.put("VAULT_A_NAME", vaultA.name());
        env.put("VAULT_A_ID", vaultA.resourceId());
        env.put("KEY_A_V1", vaultA.keyUrl());
        env.put("KEY_A_V2", keyV2);
        env.put("VAULT_B_ID", vaultB.resourceId());
        env.put("KEY_B", vaultB.keyUrl());
        env.put("UAI_ID", identity.resourceId());
        env.put("WEAK_KEY", weakKey);
        ScriptRun run = ScriptRun.run(List.of("node", SCRIPT.toString()), env, Duration.ofMinutes(5))
                .print("databox_seed_flow.mjs");
        String output = run.output();
        assertThat(run.finished()).as("the script finished within 5 minutes").isTrue();
        assertThat(run.exitCode())
                .as("exit code of databox_seed_flow.mjs; its output:\n" + output)
                .isZero();
        assertThat(output)
                .contains(
                        "SEED FLOW PASSED",
                        "refused with 412",
                        "SsemUserErrorEncryptionKeyTypeNotSupported",
                        "MitigationNotRequired");
    }
}
