package com.databox.cmk.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the app and its yardsticks (a minimal Quarkus REST app, the floor app) on the run's ports, plain or
 * with their JDK AOT cache, each with its log in logs/; and their URLs.
 */
final class Launcher {
    static final int APP_PORT = 17071 + LocalServices.PORT_OFFSET;
    static final int MINIMAL_PORT = 17072 + LocalServices.PORT_OFFSET;
    static final int FLOOR_PORT = 17073 + LocalServices.PORT_OFFSET;

    enum Kind {
        MINIMAL,
        FLOOR,
        APP
    }

    /** OFF: plain; TRAIN: writes app.aot as it exits; ON: refuses to start without the cache. */
    enum Aot {
        OFF,
        TRAIN,
        ON
    }

    record Variant(String name, Path dir, Kind kind) {
        /** The request whose first 200 says it is up. */
        String readyUrl() {
            return switch (kind) {
                case MINIMAL -> minimalUrl("/hello");
                case FLOOR -> floorUrl("/api/orders?top=1");
                case APP -> appUrl("/api/orders?top=1");
            };
        }
    }

    private final Path root;
    private final Path out;
    private final LocalServices stack;

    Launcher(Path root, Path out, LocalServices stack) {
        this.root = root;
        this.out = out;
        this.stack = stack;
    }

    /** The JDK's {@code java}, which starts every variant and the harness's other JVMs. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The JVM options the function app ships, as its launcher passes them (an argument file). */
    String shippedJvmOptions() {
        return "@" + root.resolve("service/target/function-app/jvm.options");
    }

    /** The app as it ships. */
    Variant app() {
        return new Variant("app", root.resolve("service/target/quarkus-app"), Kind.APP);
    }

    /** The app as it ships, plain (its trained cache is measured in the start-up section only). */
    Launched launchApp(String name, List<String> extra) {
        return launchVariant(app(), name, Aot.OFF, extra);
    }

    Launched launchVariant(Variant v, String name, Aot aot, List<String> extra) {
        List<String> args = new ArrayList<>();
        Map<String, String> env = Map.of();
        switch (v.kind()) {
            case MINIMAL -> args.add("-Dquarkus.http.port=" + MINIMAL_PORT);
            case FLOOR -> {
                args.addAll(List.of(
                        "-Dquarkus.http.port=" + FLOOR_PORT,
                        "-Dfloor.connection-string=" + LocalServices.connectionString()));
                env = stack.appEnvironment(FLOOR_PORT);
            }
            case APP -> {
                args.addAll(List.of(
                        "-Dquarkus.profile=local",
                        "-D%local.cmk.storage.connection-string=" + LocalServices.connectionString()));
                env = stack.appEnvironment(APP_PORT);
            }
        }
        args.addAll(extra);
        return launch(name, v.dir(), aot, args, env);
    }

    private Launched launch(String name, Path dir, Aot aot, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(java());
        switch (aot) {
            case OFF -> {}
            // AOTMode=on: refuse to start rather than silently run without the cache.
            case ON -> command.addAll(List.of("-XX:AOTMode=on", "-XX:AOTCache=app.aot"));
            // As scripts/lib/aot-train.sh trains the function app's: without the training run's method
            // profiles, which C1 alone does not use and which made it compile the workload's methods at start.
            case TRAIN ->
                command.addAll(List.of(
                        "-XX:AOTCacheOutput=app.aot", "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining"));
        }
        // Every variant with the JVM options the function app ships (its memory bounds), as its launcher starts it.
        command.add(shippedJvmOptions());
        command.addAll(args);
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        return Launched.start(name, command, dir, env, out.resolve("logs/" + name + ".log"));
    }

    static String appUrl(String path) {
        return "http://127.0.0.1:" + APP_PORT + path;
    }

    static String floorUrl(String path) {
        return "http://127.0.0.1:" + FLOOR_PORT + path;
    }

    static String minimalUrl(String path) {
        return "http://127.0.0.1:" + MINIMAL_PORT + path;
    }
}
