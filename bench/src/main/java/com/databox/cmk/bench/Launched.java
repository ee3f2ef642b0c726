package com.databox.cmk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A process the harness started; every one is stopped at the end, whatever happens. */
final class Launched implements AutoCloseable {
    private static final List<Launched> ALL = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Launched::close), "bench-stop-all"));
    }

    final String name;
    final Process process;
    final long startNanos;

    private Launched(String name, Process process, long startNanos) {
        this.name = name;
        this.process = process;
        this.startNanos = startNanos;
    }

    static Launched start(String name, List<String> command, Path dir, Map<String, String> env, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            long t0 = System.nanoTime();
            Launched launched = new Launched(name, builder.start(), t0);
            ALL.add(launched);
            return launched;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Nanoseconds from process start to the first 200 of {@code url}. */
    long awaitOk(Http http, String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " (see its log)");
            }
            try {
                Http.Answer answer = http.trySend("GET", url, null);
                if (answer.status() == 200) {
                    return System.nanoTime() - startNanos;
                }
                last = "HTTP " + answer.status() + " " + answer.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            sleep(5);
        }
        throw new IllegalStateException(name + " did not answer 200 at " + url + " within " + timeout + ": " + last);
    }

    /** CPU time of the process so far (user + system), in ms. */
    double cpuMillis() {
        return cpuMillis(pid());
    }

    /** CPU time of process {@code pid} so far (user + system), in ms. */
    static double cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of proc(5), counted from the state (field 3) here.
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000.0 / CLOCK_TICKS;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * CPU time of the process's live threads so far by kind (the JVM names them): the main thread,
     * the JIT compilers, the collector and VM operations, Vert.x event loops, the worker pool, and
     * the rest; in ms, from each thread's {@code schedstat} (nanoseconds, where {@code stat} counts ticks).
     */
    Map<String, Double> threadCpuMillis() {
        Map<String, Double> byKind = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    long nanos = Long.parseLong(
                            Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    byKind.merge(threadKind(comm), nanos / 1e6, Double::sum);
                } catch (IOException | RuntimeException ended) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byKind;
    }

    private static String threadKind(String comm) {
        if (comm.equals("java")) {
            return "main";
        } else if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "JIT";
        } else if (comm.equals("VM Thread") || comm.startsWith("GC ")) {
            return "GC and VM";
        } else if (comm.startsWith("vert.x-eventloo")) {
            return "event loops";
        } else if (comm.startsWith("executor-thread")) {
            return "workers";
        }
        return "other";
    }

    /** sysconf(_SC_CLK_TCK): 100 on Linux for every architecture this runs on. */
    private static final double CLOCK_TICKS = 100;

    /** Stops it (SIGTERM) and waits until it has exited, e.g. while the JVM writes its AOT cache. */
    void stopAndWait(Duration timeout) {
        ALL.remove(this);
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Peak resident set size so far (VmHWM), in KiB. */
    long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("No VmHWM for " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ALL.remove(this);
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
