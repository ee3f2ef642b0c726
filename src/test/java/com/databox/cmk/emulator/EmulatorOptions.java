package com.databox.cmk.emulator;

import java.nio.file.Path;

/**
 * Start-up options of the emulator. A {@code null} identity header, tenant id or certificate
 * directory means: a random header, a random tenant, a fresh temporary directory.
 *
 * @param adminPort port of the admin API and identity endpoint on 127.0.0.1; 0 picks a free one
 */
public record EmulatorOptions(int adminPort, String identityHeader, String defaultTenantId, Path certificateDirectory) {

    public static EmulatorOptions defaults() {
        return new EmulatorOptions(0, null, null, null);
    }
}
