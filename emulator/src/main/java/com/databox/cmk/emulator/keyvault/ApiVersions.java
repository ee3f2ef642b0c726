package com.databox.cmk.emulator.keyvault;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Key Vault api-versions the emulator accepts: 7.0 to 7.6 (and previews), and the dated ones Key Vault serves,
 * 2016-10-01 and 2025-07-01, or a preview of a real date between them. Any date in the range passed, 2019-01-01
 * and 2024-13-45 too, so a client pinned to a version Key Vault refuses passed here (bug bash of 2026-12-06, Key
 * Vault F3).
 */
final class ApiVersions {

    static final String NEWEST = "2025-07-01";
    private static final String OLDEST_DATED = "2016-10-01";
    private static final Set<String> DATED_RELEASES = Set.of(OLDEST_DATED, NEWEST);
    // Compiled once: every data-plane request is checked (String.matches compiled both for each one).
    private static final Pattern NUMBERED = Pattern.compile("7\\.[0-6](-preview(\\.\\d+)?)?");
    private static final Pattern DATED = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview(\\.\\d+)?)?");

    private ApiVersions() {}

    private static boolean isRealDate(String date) {
        try {
            LocalDate.parse(date);
            return true;
        } catch (DateTimeParseException notADate) {
            return false;
        }
    }

    static void check(String version) {
        if (version == null || version.isBlank()) {
            throw DataPlaneErrors.missingApiVersion();
        }
        if (NUMBERED.matcher(version).matches()) {
            return;
        }
        if (DATED_RELEASES.contains(version)) {
            return;
        }
        if (DATED.matcher(version).matches() && version.contains("-preview") && isRealDate(version.substring(0, 10))) {
            String date = version.substring(0, 10);
            if (date.compareTo(OLDEST_DATED) >= 0 && date.compareTo(NEWEST) <= 0) {
                return;
            }
        }
        throw DataPlaneErrors.unsupportedApiVersion(version);
    }
}
