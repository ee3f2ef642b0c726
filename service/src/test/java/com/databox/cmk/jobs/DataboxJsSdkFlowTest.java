package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.databox.cmk.emulator.ScriptRun;
import com.databox.cmk.emulator.tls.SelfSignedCertificate;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        SeedFlowSetup setup = SeedFlowSetup.create("js");
        SelfSignedCertificate front = SelfSignedCertificate.create(certificates);
        Map<String, String> env = setup.environment(app);
        env.put("FRONT_PFX", front.pkcs12Path().toString());
        env.put("FRONT_PFX_PASSWORD", SelfSignedCertificate.PKCS12_PASSWORD);
        env.put("NODE_EXTRA_CA_CERTS", front.pemPath().toString());
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
