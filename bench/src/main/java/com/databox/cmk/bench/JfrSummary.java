package com.databox.cmk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the CPU went: {@code jfr print} of the app's recording, its CPU-time samples
 * ({@code jdk.CPUTimeSample}) when it has any, else its execution samples, counted by the sampled
 * top frame (method and package) and by the first frame of the service's own code
 * ({@code com.databox}) on the stack.
 */
final class JfrSummary {
    record Share(String name, int samples, double percent) {}

    final String event;
    final int samples;
    final List<Share> topMethods;
    final List<Share> topPackages;
    final List<Share> topAppFrames;

    private JfrSummary(String event, int samples, List<Share> methods, List<Share> packages, List<Share> app) {
        this.event = event;
        this.samples = samples;
        this.topMethods = methods;
        this.topPackages = packages;
        this.topAppFrames = app;
    }

    static JfrSummary of(Path recording, int top) {
        String event =
                summary(recording).lines().anyMatch(line -> line.trim().matches("jdk\\.CPUTimeSample\\s+[1-9].*"))
                        ? "jdk.CPUTimeSample"
                        : "jdk.ExecutionSample";
        String printed = run(List.of(jfr(), "print", "--events", event, "--stack-depth", "64", recording.toString()));
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> app = new HashMap<>();
        int samples = 0;
        boolean inStack = false;
        boolean first = false;
        boolean appSeen = false;
        for (String raw : printed.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("stackTrace = [")) {
                inStack = true;
                first = true;
                appSeen = false;
                samples++;
                continue;
            }
            if (!inStack) {
                continue;
            }
            if (line.startsWith("]")) {
                inStack = false;
                if (!appSeen) {
                    app.merge("(no com.databox frame)", 1, Integer::sum);
                }
                continue;
            }
            if (line.equals("...")) {
                continue;
            }
            String method = line.replaceAll("\\s+line:.*$", "");
            if (first) {
                methods.merge(method, 1, Integer::sum);
                packages.merge(packageOf(method), 1, Integer::sum);
                first = false;
            }
            if (!appSeen && method.startsWith("com.databox.")) {
                app.merge(method, 1, Integer::sum);
                appSeen = true;
            }
        }
        return new JfrSummary(
                event, samples, top(methods, samples, top), top(packages, samples, top), top(app, samples, top));
    }

    static String summary(Path recording) {
        return run(List.of(jfr(), "summary", recording.toString()));
    }

    private static String packageOf(String method) {
        String qualified = method.contains("(") ? method.substring(0, method.indexOf('(')) : method;
        int lastDot = qualified.lastIndexOf('.');
        String type = lastDot < 0 ? qualified : qualified.substring(0, lastDot);
        int typeDot = type.lastIndexOf('.');
        return typeDot < 0 ? type : type.substring(0, typeDot);
    }

    private static List<Share> top(Map<String, Integer> counts, int total, int n) {
        List<Share> shares = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(n)
                .forEach(e ->
                        shares.add(new Share(e.getKey(), e.getValue(), total == 0 ? 0 : 100.0 * e.getValue() / total)));
        return shares;
    }

    static String jfr() {
        return Path.of(System.getProperty("java.home"), "bin", "jfr").toString();
    }

    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
