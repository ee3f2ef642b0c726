package com.databox.cmk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.databox.cmk.emulator.ScriptRun;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.FunctionsHost;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The customer-managed-key flow through the TypeScript (fetch) client that openapi-generator made from the
 * app's OpenAPI document (pom.xml profile openapi-client, target/generated-ts-client), unchanged: compiled with
 * the TypeScript compiler pinned in package.json together with src/client-test/ts/flow.ts, then run with Node
 * against the app. This test makes the vault, its two key versions and the identities, and checks the script's
 * exit code and output, delivering the shards of the audit it starts and polls. Without node_modules/typescript it fails: it is never skipped.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class GeneratedTypeScriptClientFlowTest {
    private static final Path COMPILER = Path.of("../node_modules/typescript/bin/tsc");
    private static final Path CLIENT = Path.of("target/generated-ts-client/index.ts");
    private static final Path SCRIPT = Path.of("src/client-test/ts/flow.ts");
    private static final Path COMPILED = Path.of("target/ts-client-flow");

    @TestHTTPResource("/")
    URL app;

    @Test
    void generatedTypeScriptClientRunsTheFlowUnchanged() throws Exception {
        if (!Files.isRegularFile(COMPILER)) {
            fail(COMPILER.normalize() + " is missing: run npm ci at the repository's root (package-lock.json pins it).");
        }
        assertThat(CLIENT).as("the client the openapi-client profile generates").isRegularFile();
        ScriptRun compiled = ScriptRun.run(
                        List.of(
                                "node",
                                COMPILER.toString(),
                                "--outDir",
                                COMPILED.toString(),
                                "--rootDir",
                                ".",
                                "--target",
                                "ES2022",
                                "--module",
                                "commonjs",
                                "--lib",
                                "ES2022,DOM",
                                "--skipLibCheck",
                                SCRIPT.toString()),
                        Map.of(),
                        Duration.ofMinutes(3))
                .print("tsc");
        assertThat(compiled.exitCode())
                .as("the generated client and flow.ts compile; tsc said:\n" + compiled.output())
                .isZero();

        CustomerKeyVault vault = CustomerKeyVault.create();
        String firstVersion = vault.keyUrl();
        String secondVersion = vault.newVersion();
        IdentityInfo noAccess = CustomerKeyVault.newIdentity();
        CmkOrder.create(); // the flow pages through the tenant's orders: at least one besides its own
        Map<String, String> env = new HashMap<>();
        env.put("APP_URL", app.toString());
        env.put("TOKEN", LocalStack.callerToken(LocalStack.ALL_ROLES));
        env.put("KEY_V1", firstVersion);
        env.put("KEY_V2", secondVersion);
        env.put("VAULT_ID", vault.resourceId());
        env.put("UAI", vault.identity().resourceId());
        env.put("UAI_NO_ACCESS", noAccess.resourceId());
        CompletableFuture<ScriptRun> flow = CompletableFuture.supplyAsync(() -> {
            try {
                return ScriptRun.run(
                        List.of("node", COMPILED.resolve("src/client-test/ts/flow.js").toString()),
                        env,
                        Duration.ofMinutes(3));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("flow.ts did not run", e);
            }
        });
        // The audit the flow starts and polls runs as the Functions host would run it: its shards delivered.
        while (!flow.isDone()) {
            FunctionsHost.drainShards(1);
            Thread.sleep(200);
        }
        ScriptRun run = flow.join().print("flow.ts");

        assertThat(run.finished()).as("the flow finished within 3 minutes").isTrue();
        assertThat(run.exitCode()).as("exit code of flow.ts; its output:\n" + run.output()).isZero();
        assertThat(run.output())
                .contains(
                        "OK getOrder: the model holds every member the app sent",
                        "OK listOrders: top as a number",
                        "TS CLIENT FLOW PASSED");
    }
}
