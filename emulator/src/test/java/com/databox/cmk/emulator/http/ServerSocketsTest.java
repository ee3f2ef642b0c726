package com.databox.cmk.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.EmulatorTestSupport;
import org.junit.jupiter.api.Test;

/** The emulator's servers answer without waiting on Nagle's algorithm (docs/EMULATOR.md, "Data plane"). */
class ServerSocketsTest {
    @Test
    void theEmulatorStartsItsServersWithoutNaglesDelay() {
        EmulatorTestSupport.shared();

        assertThat(System.getProperty(ServerSockets.NO_DELAY)).isEqualTo("true");
    }
}
