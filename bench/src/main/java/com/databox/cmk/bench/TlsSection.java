package com.databox.cmk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Section 5: what TLS costs the app's JVM as it ships. In Azure, Table Storage, the queues and Key Vault
 * are reached over TLS, whose records the JDK decrypts with AES-GCM; the local stack's Azurite speaks
 * plain HTTP, so sections 1 to 4 never see what a page of orders costs to decrypt. The JDK's AES and
 * GHASH intrinsics (AES-NI, carry-less multiplication) are C2's: the shipped options run C1 only
 * ({@code -XX:TieredStopAtLevel=1}), so its records are decrypted by compiled Java code.
 *
 * <p>Measured in child JVMs started with the function app's {@code jvm.options}, alternately as shipped
 * and with C2 ({@code -XX:TieredStopAtLevel=4} after the file): AES-256-GCM decryption of 16 KiB records
 * (TLS 1.3's largest, of {@code TLS_AES_256_GCM_SHA384}), the cold first rounds and the warm last ones.
 */
final class TlsSection {
    static final int RECORD_BYTES = 16 * 1024;

    static final int RECORDS_PER_ROUND = 1024;

    static final int ROUNDS = 8;

    /** The last rounds, taken as warm: C2 has compiled the loop by then (its rounds stop getting faster). */
    static final int WARM_ROUNDS = 3;

    static final int PAIRS = 3;

    private final RunContext run;

    TlsSection(RunContext run) {
        this.run = run;
    }

    record Throughput(double coldMbPerSecond, double warmMbPerSecond) {}

    void measure() {
        run.log("5. TLS record decryption under the shipped JVM options");
        List<Double> shippedWarm = new ArrayList<>();
        List<Double> c2Warm = new ArrayList<>();
        List<Double> shippedCold = new ArrayList<>();
        List<Double> c2Cold = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            Throughput shipped;
            Throughput c2;
            try {
                shipped = child("tls-shipped-" + i, List.of());
                c2 = child("tls-c2-" + i, List.of("-XX:TieredStopAtLevel=4"));
            } catch (IllegalStateException e) {
                // Reported, as a failed audit is, and the run goes on.
                run.report().notes.add("section 5 (tls) not measured: " + e.getMessage());
                return;
            }
            shippedWarm.add(shipped.warmMbPerSecond());
            shippedCold.add(shipped.coldMbPerSecond());
            c2Warm.add(c2.warmMbPerSecond());
            c2Cold.add(c2.coldMbPerSecond());
        }
        String detail = "AES-256-GCM, 16 KiB records, " + RECORDS_PER_ROUND * RECORD_BYTES / (1024 * 1024)
                + " MiB a round; medians of " + PAIRS + " JVMs each, alternated; shipped warm "
                + list(shippedWarm) + ", with C2 " + list(c2Warm) + " MB/s";
        run.report()
                .add(
                        "5 tls",
                        "decryption, warm (last " + WARM_ROUNDS + " of " + ROUNDS
                                + " rounds): shipped options (C1 only) vs with C2",
                        Stats.median(shippedWarm),
                        "MB/s",
                        Stats.median(c2Warm),
                        "the same options with C2",
                        detail + "; CPU a MB costs as shipped: "
                                + Report.fmt(1000 / Stats.median(shippedWarm)) + " ms, with C2 "
                                + Report.fmt(1000 / Stats.median(c2Warm)) + " ms");
        run.report()
                .add(
                        "5 tls",
                        "decryption, cold (first round): shipped options (C1 only) vs with C2",
                        Stats.median(shippedCold),
                        "MB/s",
                        Stats.median(c2Cold),
                        "the same options with C2",
                        "shipped " + list(shippedCold) + ", with C2 " + list(c2Cold) + " MB/s");
    }

    private static String list(List<Double> values) {
        return String.join(", ", values.stream().map(Report::fmt).toList());
    }

    /** One measuring JVM as the app's variants start (Launcher), its output in logs/{name}.log. */
    private Throughput child(String name, List<String> extra) {
        List<String> command =
                new ArrayList<>(List.of(Launcher.java(), run.launcher().shippedJvmOptions()));
        command.addAll(extra);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TlsSection.class.getName()));
        Path log = run.out().resolve("logs/" + name + ".log");
        // In the harness's own directory: its class path may name directories relative to it.
        Launched child = Launched.start(name, command, Path.of(System.getProperty("user.dir")), Map.of(), log);
        try (child) {
            if (!child.process.waitFor(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException(name + " did not end within 2 minutes");
            }
            List<String> lines = Files.readAllLines(log);
            if (child.process.exitValue() != 0 || lines.isEmpty()) {
                throw new IllegalStateException(
                        name + " failed: see " + run.out().relativize(log));
            }
            String[] figures = lines.getLast().split(" ");
            return new Throughput(Double.parseDouble(figures[0]), Double.parseDouble(figures[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** In the child JVM: prints the first round's MB/s and the median of the last {@link #WARM_ROUNDS}. */
    public static void main(String[] args) throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        SecretKeySpec aes = new SecretKeySpec(key, "AES");
        byte[] iv = new byte[12];
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        List<byte[]> records = new ArrayList<>();
        List<byte[]> ivs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] plain = new byte[RECORD_BYTES];
            random.nextBytes(plain);
            random.nextBytes(iv);
            cipher.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, iv));
            records.add(cipher.doFinal(plain));
            ivs.add(iv.clone());
        }
        List<Double> rounds = new ArrayList<>();
        long checksum = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < RECORDS_PER_ROUND; i++) {
                int which = i % records.size();
                cipher.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, ivs.get(which)));
                checksum += cipher.doFinal(records.get(which))[i % RECORD_BYTES];
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            rounds.add((double) RECORDS_PER_ROUND * RECORD_BYTES / 1e6 / seconds);
        }
        List<Double> warm = rounds.subList(ROUNDS - WARM_ROUNDS, ROUNDS);
        System.out.println("checksum " + checksum);
        System.out.println(String.format(Locale.ROOT, "%.1f %.1f", rounds.get(0), Stats.median(warm)));
    }
}
