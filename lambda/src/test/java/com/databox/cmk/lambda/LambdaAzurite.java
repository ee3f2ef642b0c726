package com.databox.cmk.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Azurite's table and queue services (from the repository's node_modules), in memory, once per test JVM. */
final class LambdaAzurite {
    private static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's well-known development key; not a secret. */
    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static LambdaAzurite shared;

    private final int tablePort;
    private final int queuePort;

    private LambdaAzurite(int tablePort, int queuePort) {
        this.tablePort = tablePort;
        this.queuePort = queuePort;
    }

    static synchronized LambdaAzurite shared() {
        if (shared == null) {
            int tables = freePort();
            int queues = freePort();
            Process t = start("table", tables);
            Process q = start("queue", queues);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                t.destroy();
                q.destroy();
            }));
            shared = new LambdaAzurite(tables, queues);
        }
        return shared;
    }

    String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";TableEndpoint=http://127.0.0.1:" + tablePort + "/" + ACCOUNT
                + ";QueueEndpoint=http://127.0.0.1:" + queuePort + "/" + ACCOUNT + ";";
    }

    private static Process start(String service, int port) {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("package.json"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("Cannot find the repository root (package.json)");
        }
        Path main = root.resolve("node_modules/azurite/dist/src/" + service + "/main.js");
        if (!Files.exists(main)) {
            throw new IllegalStateException("Azurite is not installed: run 'npm ci' at the repository root");
        }
        try {
            Path log = Files.createTempFile("azurite-lambda-" + service, ".log");
            Process process = new ProcessBuilder(List.of(
                            "node",
                            main.toString(),
                            "--" + service + "Host",
                            "127.0.0.1",
                            "--" + service + "Port",
                            Integer.toString(port),
                            "--inMemoryPersistence",
                            "--disableTelemetry",
                            "--skipApiVersionCheck"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            // Seconds usually; a two-core machine busy with builds has taken over 30 s.
            Instant deadline = Instant.now().plusSeconds(120);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Azurite exited: " + Files.readString(log));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return process;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            process.destroy();
            throw new IllegalStateException("Azurite did not listen on " + port + ": " + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
