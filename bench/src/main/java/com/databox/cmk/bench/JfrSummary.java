package com.databox.cmk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went: the app's recording read with JFR's own API ({@code jdk.jfr.consumer}), its
 * CPU-time samples ({@code jdk.CPUTimeSample}) when it has any, else its execution samples, counted
 * by the sampled top frame (method and package) and by the first frame of the service's own code
 * ({@code com.databox}) on the stack. Methods are named as {@code jfr print} names them:
 * {@code package.Type.method(ParameterType, ...)}.
 */
final class JfrSummary {
    record Share(String name, int samples, double percent) {}

    static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    static final String NO_APP_FRAME = "(no com.databox frame)";

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

    /** One kind of sample's counts. */
    private static final class Tally {
        final Map<String, Integer> methods = new HashMap<>();
        final Map<String, Integer> packages = new HashMap<>();
        final Map<String, Integer> app = new HashMap<>();
        int samples;

        /** A sample's stack, its hidden frames (lambda forms, method handles' holders) left out as jfr print does. */
        void add(RecordedStackTrace stack) {
            List<String> frames = stack.getFrames().stream()
                    .map(RecordedFrame::getMethod)
                    .filter(method -> !method.isHidden())
                    .map(JfrSummary::methodName)
                    .toList();
            if (frames.isEmpty()) {
                return;
            }
            samples++;
            String topFrame = frames.getFirst();
            methods.merge(topFrame, 1, Integer::sum);
            packages.merge(packageOf(topFrame), 1, Integer::sum);
            app.merge(
                    frames.stream()
                            .filter(method -> method.startsWith("com.databox."))
                            .findFirst()
                            .orElse(NO_APP_FRAME),
                    1,
                    Integer::sum);
        }
    }

    /** The recording read event by event, both kinds of sample counted, the CPU-time samples given when there are any. */
    static JfrSummary of(Path recording, int top) {
        Tally cpuTime = new Tally();
        Tally execution = new Tally();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null) {
                    continue;
                }
                switch (event.getEventType().getName()) {
                    case CPU_TIME_SAMPLE -> cpuTime.add(stack);
                    case EXECUTION_SAMPLE -> execution.add(stack);
                    default -> {}
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tally tally = cpuTime.samples > 0 ? cpuTime : execution;
        return new JfrSummary(
                tally == cpuTime ? CPU_TIME_SAMPLE : EXECUTION_SAMPLE,
                tally.samples,
                top(tally.methods, tally.samples, top),
                top(tally.packages, tally.samples, top),
                top(tally.app, tally.samples, top));
    }

    /** As {@code jfr print} writes a frame's method: its type, its name and its parameters' simple type names. */
    static String methodName(RecordedMethod method) {
        List<String> parameters = MethodTypeDesc.ofDescriptor(method.getDescriptor()).parameterList().stream()
                .map(ClassDesc::displayName)
                .toList();
        return method.getType().getName() + "." + method.getName() + "(" + String.join(", ", parameters) + ")";
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
