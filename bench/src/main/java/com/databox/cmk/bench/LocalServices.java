package com.databox.cmk.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The local stack, up for the whole run: Azurite (tables, queues) from node_modules and the
 * Key Vault / identity emulator from the test classes, on ports of their own (not the
 * developer's 7071/8180/10001/10002).
 */
final class LocalServices implements AutoCloseable {
    /**
     * Added to every port the run listens on ({@code BENCHMARK_PORT_OFFSET}, set by scripts/benchmark.sh), so
     * that two runs from two working trees do not collide.
     */
    static final int PORT_OFFSET = Integer.getInteger("bench.port-offset", 0);

    static final int TABLE_PORT = 20002 + PORT_OFFSET;
    static final int QUEUE_PORT = 20001 + PORT_OFFSET;
    static final int EMULATOR_PORT = 18180 + PORT_OFFSET;
    static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Launched tables;
    private final Launched queues;
    private final Process emulator;
    /** The emulator's KEY=VALUE lines. */
    final Map<String, String> settings;

    private LocalServices(Launched tables, Launched queues, Process emulator, Map<String, String> settings) {
        this.tables = tables;
        this.queues = queues;
        this.emulator = emulator;
        this.settings = settings;
    }

    static String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + ACCOUNT_KEY
                + ";TableEndpoint=http://127.0.0.1:" + TABLE_PORT + "/devstoreaccount1;QueueEndpoint=http://127.0.0.1:"
                + QUEUE_PORT + "/devstoreaccount1;";
    }

    /** The stack's processes by name, for their CPU time: Azurite's two and the emulator. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("Azurite Tables", tables.pid());
        pids.put("Azurite queues", queues.pid());
        pids.put("emulator", emulator.pid());
        return pids;
    }

    String adminUrl() {
        return settings.get("EMULATOR_ADMIN_URL");
    }

    static LocalServices start(Path root, Path out) {
        Path azurite = root.resolve("node_modules/azurite/dist/src");
        Launched tables = Launched.start(
                "azurite-table",
                List.of(
                        "node",
                        azurite.resolve("table/main.js").toString(),
                        "--tableHost",
                        "127.0.0.1",
                        "--tablePort",
                        Integer.toString(TABLE_PORT),
                        "--inMemoryPersistence",
                        "--disableTelemetry",
                        "--skipApiVersionCheck"),
                root,
                Map.of(),
                out.resolve("logs/azurite-table.log"));
        Launched queues = Launched.start(
                "azurite-queue",
                List.of(
                        "node",
                        azurite.resolve("queue/main.js").toString(),
                        "--queueHost",
                        "127.0.0.1",
                        "--queuePort",
                        Integer.toString(QUEUE_PORT),
                        "--inMemoryPersistence",
                        "--disableTelemetry",
                        "--skipApiVersionCheck"),
                root,
                Map.of(),
                out.resolve("logs/azurite-queue.log"));
        awaitPort(TABLE_PORT);
        awaitPort(QUEUE_PORT);

        String header = System.getenv().getOrDefault("IDENTITY_HEADER", "benchmark-identity-header");
        String java = Launcher.java();
        Process emulator;
        try {
            emulator = new ProcessBuilder(
                            java,
                            "-jar",
                            root.resolve("emulator/target/databox-cmk-emulator.jar")
                                    .toString(),
                            "--port",
                            Integer.toString(EMULATOR_PORT),
                            "--identity-header",
                            header,
                            "--cert-dir",
                            out.resolve("emulator").toString(),
                            "--demo")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the emulator", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::destroy));
        Map<String, String> settings = new LinkedHashMap<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Path log = out.resolve("logs/emulator.log");
        Thread.ofPlatform().daemon().name("emulator-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
                    var writer = Files.newBufferedWriter(log)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                    if (!ready.isDone()) {
                        if (line.equals("EMULATOR_READY")) {
                            ready.complete(null);
                        } else if (line.matches("[A-Z_]+=.*")) {
                            int eq = line.indexOf('=');
                            synchronized (settings) {
                                settings.put(line.substring(0, eq), line.substring(eq + 1));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("The emulator exited; see " + log));
        });
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            emulator.destroy();
            tables.close();
            queues.close();
            throw new IllegalStateException("The emulator did not start; see " + log, e);
        }
        String expected = "http://127.0.0.1:" + EMULATOR_PORT + "/msi/token";
        if (!expected.equals(System.getenv("IDENTITY_ENDPOINT")) || !header.equals(settings.get("IDENTITY_HEADER"))) {
            throw new IllegalStateException("Run through scripts/benchmark.sh: the SDK floor needs IDENTITY_ENDPOINT="
                    + expected + " and IDENTITY_HEADER in its own environment (the managed-identity client reads "
                    + "only the process environment)");
        }
        return new LocalServices(tables, queues, emulator, Map.copyOf(settings));
    }

    /** What the app needs from the emulator (as scripts/run-local.sh passes it), plus the Entra issuer. */
    Map<String, String> appEnvironment(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of(
                "IDENTITY_ENDPOINT",
                "IDENTITY_HEADER",
                "EMULATOR_CA_CERT",
                "EMULATOR_ADMIN_URL",
                "EMULATOR_TENANT_ID",
                "CMK_MICROSOFT_KEY_URL",
                "ENTRA_ISSUER",
                "ENTRA_JWKS_URI",
                "ENTRA_AUDIENCE",
                "EMULATOR_ARM_URL",
                "EMULATOR_SUBSCRIPTION_ID",
                "EMULATOR_RESOURCE_GROUP",
                "EMULATOR_LOCATION",
                "EMULATOR_FUNCTION_APP_ID",
                // The local profile's Key Vault allow-list (127.0.0.1:<these ports>): without it every key URL is
                // refused.
                "EMULATOR_VAULT_PORTS")) {
            if (settings.get(name) != null) {
                env.put(name, settings.get(name));
            }
        }
        env.put("FUNCTIONS_CUSTOMHANDLER_PORT", Integer.toString(port));
        return env;
    }

    private static void awaitPort(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Launched.sleep(100);
            }
        }
        throw new IllegalStateException("Nothing listens on 127.0.0.1:" + port);
    }

    @Override
    public void close() {
        emulator.destroy();
        try {
            emulator.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        emulator.destroyForcibly();
        tables.close();
        queues.close();
    }
}
