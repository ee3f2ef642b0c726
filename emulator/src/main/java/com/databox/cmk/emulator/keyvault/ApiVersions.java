package com.databox.cmk.emulator.keyvault;

import java.util.regex.Pattern;

/** The Key Vault api-versions the emulator accepts: 7.0 to 7.6 (and previews), dated ones up to 2025-07-01. */
final class ApiVersions {

    static final String NEWEST = "2025-07-01";
    private static final String OLDEST_DATED = "2016-10-01";
    // Compiled once: every data-plane request is checked (String.matches compiled both for each one).
    private static final Pattern NUMBERED = Pattern.compile("7\\.[0-6](-preview(\\.\\d+)?)?");
    private static final Pattern DATED = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview(\\.\\d+)?)?");

    private ApiVersions() {}

    static void check(String version) {
        if (version == null || version.isBlank()) {
            throw DataPlaneErrors.missingApiVersion();
        }
        if (NUMBERED.matcher(version).matches()) {
            return;
        }
        if (DATED.matcher(version).matches()) {
            String date = version.substring(0, 10);
            if (date.compareTo(OLDEST_DATED) >= 0 && date.compareTo(NEWEST) <= 0) {
                return;
            }
        }
        throw DataPlaneErrors.unsupportedApiVersion(version);
    }
}
