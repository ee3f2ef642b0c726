package com.databox.cmk.jobs.api;

import com.databox.cmk.jobs.JobErrorCode;
import com.databox.cmk.jobs.JobException;
import java.util.List;

/**
 * The api-versions of Microsoft.DataBox/jobs this surface speaks: 2020-11-01, the version of
 * the Debian-packaged Python client ({@code python3-azure}); 2022-12-01, the version of the
 * latest JavaScript client ({@code @azure/arm-databox} 5.0.0); 2025-02-01; and 2025-07-01, the latest
 * stable version of the published spec (azure-rest-api-specs, specification/databox; since 2026-12-06, when a
 * bug bash found it refused). All have the same job shape for what this service models; from 2022-12-01 they
 * add {@code mitigate}.
 */
final class ApiVersions {
    static final String V2020_11_01 = "2020-11-01";
    static final String V2022_12_01 = "2022-12-01";
    static final String V2025_02_01 = "2025-02-01";
    static final String V2025_07_01 = "2025-07-01";
    static final List<String> SUPPORTED = List.of(V2025_07_01, V2025_02_01, V2022_12_01, V2020_11_01);
    static final List<String> WITH_MITIGATE = List.of(V2025_07_01, V2025_02_01, V2022_12_01);

    private ApiVersions() {}

    /** ARM's own errors for a missing or unknown api-version; answers the version as given. */
    static String require(String apiVersion, List<String> supported) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new JobException(
                    JobErrorCode.MissingApiVersionParameter,
                    "The api-version query parameter (?api-version=) is required for all requests.",
                    "api-version");
        }
        // As written: one with white space or a control character around it is not one of them (it was trimmed).
        if (!supported.contains(apiVersion)) {
            throw new JobException(
                    JobErrorCode.InvalidApiVersionParameter,
                    "The api-version '"
                            + (apiVersion.length() > 40 ? apiVersion.substring(0, 40) + "…" : apiVersion)
                            + "' is invalid. The supported versions are '" + String.join(",", supported) + "'.",
                    "api-version");
        }
        return apiVersion;
    }

    static String require(String apiVersion) {
        return require(apiVersion, SUPPORTED);
    }
}
