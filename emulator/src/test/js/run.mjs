// Runs the conformance suite on the official JavaScript SDK (docs/EMULATOR-MANUAL.md, "Node conformance
// suite"): starts the emulator's runnable jar on free ports, reads the settings it prints, runs `node --test`
// on the *.test.mjs files here with those settings in the environment, stops the emulator, and exits with
// the test run's status. Usage: node emulator/src/test/js/run.mjs [test files…]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const jar = resolve(here, "../../../target/databox-cmk-emulator.jar");
const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";

if (!existsSync(jar)) {
  console.error(`${jar} is missing; build it first: ./mvnw -q -pl emulator package -DskipTests`);
  process.exit(2);
}
if (!existsSync(resolve(here, "../../../../node_modules/@azure/keyvault-keys/package.json"))) {
  console.error("The SDK is not installed; run `npm ci` in the repository's root first.");
  process.exit(2);
}

const certDir = mkdtempSync(join(tmpdir(), "kv-emulator-js-"));
const emulator = spawn(java, ["-jar", jar, "--port", "0", "--identity-header", randomBytes(16).toString("hex"),
  "--cert-dir", certDir], { stdio: ["ignore", "pipe", "inherit"] });

function stop() {
  if (emulator.exitCode === null) {
    emulator.kill("SIGTERM");
  }
  rmSync(certDir, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  stop();
  process.exit(130);
});

const settings = await new Promise((resolveSettings, reject) => {
  const found = {};
  const timer = setTimeout(() => reject(new Error("the emulator printed no EMULATOR_READY within 60 s")), 60_000);
  emulator.on("exit", (code) => reject(new Error(`the emulator exited with ${code} before it was ready`)));
  createInterface({ input: emulator.stdout }).on("line", (line) => {
    if (line === "EMULATOR_READY") {
      clearTimeout(timer);
      resolveSettings(found);
    }
    const eq = line.indexOf("=");
    if (eq > 0 && /^[A-Z_]+$/.test(line.slice(0, eq))) {
      found[line.slice(0, eq)] = line.slice(eq + 1);
    }
  });
}).catch((error) => {
  console.error(error.message);
  stop();
  process.exit(2);
});
emulator.stdout.resume();

const files = process.argv.length > 2 ? process.argv.slice(2)
  : readdirSync(here).filter((name) => name.endsWith(".test.mjs")).sort().map((name) => join(here, name));
console.log(`Emulator ready at ${settings.EMULATOR_ADMIN_URL}; running ${files.length} test files on the JavaScript SDK`);

const tests = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
  env: {
    ...process.env,
    ...settings,
    // ManagedIdentityCredential (App Service protocol) reads these two from the environment.
    IDENTITY_ENDPOINT: settings.IDENTITY_ENDPOINT,
    IDENTITY_HEADER: settings.IDENTITY_HEADER,
    // Trust the emulator's self-signed certificate for these processes only.
    NODE_EXTRA_CA_CERTS: settings.EMULATOR_CA_CERT,
  },
});
const code = await new Promise((resolveCode) => tests.on("exit", (exitCode, signal) => resolveCode(exitCode ?? (signal ? 1 : 0))));
stop();
process.exit(code);
