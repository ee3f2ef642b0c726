package com.databox.cmk.emulator;

import java.nio.file.Path;

/**
 * Start-up options of the emulator. A {@code null} identity header, tenant id or certificate
 * directory means: a random header, a random tenant, a fresh temporary directory.
 *
 * @param adminPort port of the admin API and identity endpoint on 127.0.0.1; 0 picks a free one
 * @param trackAssignments whether the identity endpoint mints tokens for a user-assigned identity
 *     only while it is assigned to the function app (through the ARM API), as on Azure; off by default
 */
public record EmulatorOptions(
        int adminPort,
        String identityHeader,
        String defaultTenantId,
        Path certificateDirectory,
        boolean trackAssignments) {

    public EmulatorOptions(int adminPort, String identityHeader, String defaultTenantId, Path certificateDirectory) {
        this(adminPort, identityHeader, defaultTenantId, certificateDirectory, false);
    }

    public static EmulatorOptions defaults() {
        return new EmulatorOptions(0, null, null, null);
    }

    public EmulatorOptions withAssignmentTracking() {
        return new EmulatorOptions(adminPort, identityHeader, defaultTenantId, certificateDirectory, true);
    }
}
