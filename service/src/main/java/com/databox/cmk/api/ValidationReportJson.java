package com.databox.cmk.api;

import com.databox.cmk.encryption.Check;
import com.databox.cmk.encryption.ValidationReport;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The validation report of API.md. */
@RegisterForReflection
public record ValidationReportJson(
        boolean valid,

        @Schema(
                nullable = true,
                description = "The exact key version checked; null when the URL is not a key URL, and for "
                        + "an order on the Microsoft-managed key, whose key is the service's own.")
        String kekUrl,

        List<CheckJson> checks) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckJson(
            String name, String status, String detail, String errorCode, String message, String resolution) {}

    static ValidationReportJson of(ValidationReport report) {
        return new ValidationReportJson(
                report.valid(),
                report.kekUrl(),
                report.checks().stream().map(ValidationReportJson::check).toList());
    }

    private static CheckJson check(Check check) {
        return new CheckJson(
                check.name(),
                check.status().name(),
                check.detail(),
                check.errorCode() == null ? null : check.errorCode().name(),
                check.message(),
                check.errorCode() == null ? null : check.toException().resolution());
    }
}
