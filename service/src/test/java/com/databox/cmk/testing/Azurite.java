package com.databox.cmk.testing;

import com.azure.data.tables.TableClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Azurite (the Azure Storage emulator from npm, installed under node_modules by the build),
 * started once per test JVM on free loopback ports, in memory, and stopped with the JVM.
 */
public final class Azurite {
    /** Azurite's well-known development account; not a secret. */
    public static final String ACCOUNT = "devstoreaccount1";

    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static Azurite shared;

    private volatile Process tables;
    private final int tablePort;
    private final Path location;
    private final Process queues;
    private final int queuePort;

    private Azurite(Process tables, int tablePort, Process queues, int queuePort) {
        this(tables, tablePort, null, queues, queuePort);
    }

    private Azurite(Process tables, int tablePort, Path location, Process queues, int queuePort) {
        this.tables = tables;
        this.tablePort = tablePort;
        this.location = location;
        this.queues = queues;
        this.queuePort = queuePort;
    }

    public static synchronized Azurite shared() {
        if (shared == null) {
            int tablePort = freePort();
            int queuePort = freePort();
            Process tables = start("table", tablePort);
            Process queues = start("queue", queuePort);
            shared = new Azurite(tables, tablePort, queues, queuePort);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                tables.destroy();
                queues.destroy();
            }));
        }
        return shared;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";TableEndpoint=http://127.0.0.1:" + tablePort + "/" + ACCOUNT
                + ";QueueEndpoint=http://127.0.0.1:" + queuePort + "/" + ACCOUNT + ";";
    }

    /** A client of a table of its own, named {@code prefix} and a random suffix: no test meets another's rows. */
    public TableClientBuilder newTable(String prefix) {
        return new TableClientBuilder()
                .connectionString(connectionString())
                .tableName(prefix + UUID.randomUUID().toString().replace("-", ""));
    }

    /** The connection string with its table endpoint on another port (a proxy in front of this Azurite). */
    public String connectionStringWithTablePort(int port) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";TableEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    public int queuePort() {
        return queuePort;
    }

    public int tablePort() {
        return tablePort;
    }

    /** Stops the table service (for fault tests); {@link #shared()} does not restart it. */
    public void stopTables() {
        tables.destroy();
        try {
            tables.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A table service of its own for one test, never {@link #shared()}: the test may stop and
     * restart it. Its data is kept in {@code location}, so it survives {@link #restartTables()}.
     * It has no queue service; stop it with {@link #stopTables()}.
     */
    public static Azurite privateTables(Path location) {
        int port = freePort();
        Process tables = start("table", port, location);
        Runtime.getRuntime().addShutdownHook(new Thread(tables::destroy));
        return new Azurite(tables, port, location, null, 0);
    }

    /** Starts the stopped table service of a {@link #privateTables} instance again, on the same port and data. */
    public void restartTables() {
        if (location == null) {
            throw new IllegalStateException("Only a private Azurite with a location can restart");
        }
        Process restarted = start("table", tablePort, location);
        Runtime.getRuntime().addShutdownHook(new Thread(restarted::destroy));
        tables = restarted;
    }

    /** Starts one Azurite service ("table" or "queue") on the port, in memory. */
    private static Process start(String service, int port) {
        return start(service, port, null);
    }

    /** Starts one Azurite service on the port, in memory or persisted in {@code location}. */
    private static Process start(String service, int port, Path location) {
        Path main = repositoryRoot().resolve("node_modules/azurite/dist/src/" + service + "/main.js");
        if (!Files.exists(main)) {
            throw new IllegalStateException("Azurite is not installed: run 'npm ci' at the project root "
                    + "(the Maven build does it when node_modules/azurite is missing).");
        }
        try {
            Path log = Files.createTempFile("azurite-" + service, ".log");
            List<String> persistence =
                    location == null ? List.of("--inMemoryPersistence") : List.of("--location", location.toString());
            List<String> command = new java.util.ArrayList<>(List.of(
                    "node",
                    main.toString(),
                    "--" + service + "Host",
                    "127.0.0.1",
                    "--" + service + "Port",
                    Integer.toString(port)));
            command.addAll(persistence);
            command.addAll(List.of("--disableTelemetry", "--skipApiVersionCheck"));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            awaitPort(process, port, log);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Azurite's " + service + " service", e);
        }
    }

    /** Node starts Azurite in a second or two; a two-core machine busy with builds has taken over 30 s. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private static void awaitPort(Process process, int port, Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Pause.millis(100);
            }
        }
        process.destroy();
        throw new IllegalStateException("Azurite did not listen on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s: " + Files.readString(log));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's root, where package.json pins Azurite and npm installs it. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("package.json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Cannot find the repository root (package.json) from "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** The module under test (its pom.xml and target/). */
    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "Cannot find the project root (pom.xml) from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
