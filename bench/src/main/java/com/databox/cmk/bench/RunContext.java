package com.databox.cmk.bench;

import java.nio.file.Path;

/**
 * What the sections of one run share: where it writes, its options and clock, the report they add to, the
 * HTTP client (as the benchmark's caller), the local stack, the SDK floor, the launcher and the emulator's
 * admin API.
 */
record RunContext(
        Path out,
        Benchmark.Options options,
        RunClock clock,
        Report report,
        Http http,
        LocalServices stack,
        SdkFloor floor,
        Launcher launcher,
        EmulatorAdmin admin) {
    void log(String message) {
        clock.log(message);
    }
}
