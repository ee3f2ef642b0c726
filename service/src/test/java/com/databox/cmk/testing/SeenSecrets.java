package com.databox.cmk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Every device password the tests see is recorded in {@code target/seen-secrets.txt}, one a line,
 * so that {@code SecretLeakTest} (run after all app tests) can look for them in what the suite left
 * behind. Each test JVM starts the file afresh, together with the app's test log.
 */
public final class SeenSecrets {

    private static final String FRESH = "databox.test.secrets.fresh";

    private SeenSecrets() {}

    public static Path file() {
        return Azurite.projectRoot().resolve("target/seen-secrets.txt");
    }

    /** The app's log file in the test profile ({@code %test.quarkus.log.file.path}). */
    public static Path appLog() {
        return Azurite.projectRoot().resolve("target/quarkus-test.log");
    }

    /** How many lines of the app's log are at level ERROR so far. */
    public static long errorLinesLogged() {
        try (Stream<String> lines = Files.lines(appLog(), StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.matches("^\\S+ \\S+ ERROR .*")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The history rows of the orders table, written when the app tests' stack stops (see LocalStack). */
    public static Path historyDump() {
        return Azurite.projectRoot().resolve("target/history-rows.txt");
    }

    /**
     * Once per JVM (a system property, seen by every class loader): forgets what an earlier build
     * left, so that a leak fixed since does not fail the scan again.
     */
    public static synchronized void startFresh() {
        if (System.getProperty(FRESH) != null) {
            return;
        }
        System.setProperty(FRESH, "true");
        try {
            Files.deleteIfExists(file());
            try (var logs = Files.list(appLog().getParent())) {
                for (Path log : logs.filter(f -> f.getFileName()
                                .toString()
                                .startsWith(appLog().getFileName().toString()))
                        .toList()) {
                    Files.deleteIfExists(log);
                }
            } catch (java.nio.file.NoSuchFileException noTargetYet) {
                // nothing to forget
            }
            Files.deleteIfExists(historyDump());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized void record(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        try {
            Files.createDirectories(file().getParent());
            Files.writeString(
                    file(),
                    secret + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every history row of the orders table (all but the order rows), one a line, for the scan. */
    public static synchronized void dumpHistory(String connectionString) {
        StringBuilder rows = new StringBuilder();
        try {
            com.azure.data.tables.TableClient table = new com.azure.data.tables.TableClientBuilder()
                    .connectionString(connectionString)
                    .tableName("orders")
                    .buildClient();
            table.listEntities(
                            new com.azure.data.tables.models.ListEntitiesOptions().setFilter("RowKey ne 'order'"),
                            null,
                            null)
                    .forEach(row -> rows.append(row.getPartitionKey())
                            .append(' ')
                            .append(row.getRowKey())
                            .append(' ')
                            .append(row.getProperties())
                            .append('\n'));
            Files.writeString(historyDump(), rows, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
