package com.databox.cmk.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The emulator's command line, run as the process it is. */
class EmulatorMainTest {

    private static ScriptRun emulator(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EmulatorMain.class.getName()));
        command.addAll(List.of(args));
        return ScriptRun.run(command, Map.of(), Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "70000", "-1"})
    void aPortThatIsNoPortNumberPrintsTheUsageAndExits2(String port) throws Exception {
        ScriptRun run = emulator("--port", port);

        assertTrue(run.finished(), run.output());
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("--port " + port), run.output());
        assertTrue(run.output().contains("use --port N, --identity-header X"), run.output());
        assertFalse(run.output().contains("Exception"), run.output());
    }
}
