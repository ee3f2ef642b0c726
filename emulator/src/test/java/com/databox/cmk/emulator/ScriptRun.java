package com.databox.cmk.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A script of an official SDK of another language (Python, JavaScript), run as a child process
 * against the local services: with no proxy in its environment, its output (stdout and stderr)
 * into a file, so that the timeout holds even when the script hangs with its output open.
 *
 * @param finished whether it ended within the timeout (it is killed otherwise)
 * @param exitCode its exit code; -1 when it did not finish
 * @param output what it printed
 * @param took how long it ran
 */
public record ScriptRun(boolean finished, int exitCode, String output, Duration took) {
    private static final List<String> PROXIES =
            List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy");

    /** Runs {@code command} with {@code environment} added to this process's, proxies taken out. */
    public static ScriptRun run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("script-run-", ".log");
        try {
            ProcessBuilder process =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            process.environment().putAll(environment);
            PROXIES.forEach(process.environment()::remove);
            long started = System.nanoTime();
            Process child = process.start();
            boolean finished = child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return new ScriptRun(
                    finished, finished ? child.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8), took);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Where the tests find Python: Debian's, which python3-azure installs into. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    /**
     * Fails (never skips) unless {@link #PYTHON} imports {@code modules} (e.g. {@code
     * "azure.keyvault.keys, azure.identity"}): CI and the README's test command install
     * python3-azure.
     */
    public static void requirePythonModules(String modules) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            throw new AssertionError(
                    PYTHON + " is missing: install Python 3 and the Azure SDK (apt-get install -y python3-azure).");
        }
        ScriptRun probe = run(List.of(PYTHON.toString(), "-c", "import " + modules), Map.of(), Duration.ofSeconds(60));
        if (probe.exitCode() != 0) {
            throw new AssertionError("The Python SDK is missing (import " + modules
                    + " failed): apt-get install -y python3-azure. Python said: " + probe.output());
        }
    }

    /** Prints the output between markers naming the script, for the test report. */
    public ScriptRun print(String script) {
        System.out.printf("---- %s (%.1f s) ----%n%s---- end ----%n", script, took.toMillis() / 1000.0, output);
        return this;
    }
}
