package com.databox.cmk.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.LoggedRecords;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bb84 F3: a failure's line names the request (its method and path name the order or job) and the caller's tenant. */
class AnsweredFailuresUnitTest {
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    // Outside a Vert.x context the logging context is the thread's: another test's token check on this
    // thread may have left a tenant in it.
    @BeforeEach
    @AfterEach
    void clearLoggingContext() {
        MDC.clear();
    }

    private static List<String> logged(ServiceException failure) {
        try (LoggedRecords logged =
                LoggedRecords.capture(r -> r.getLoggerName().equals(AnsweredFailures.class.getName()))) {
            AnsweredFailures.log(failure);
            return logged.records().stream()
                    .map(r -> ((ExtLogRecord) r).getFormattedMessage())
                    .toList();
        }
    }

    private static void within(String method, String path, String tenant) {
        MDC.put(RequestInLog.METHOD, method);
        MDC.put(RequestInLog.PATH, path);
        if (tenant != null) {
            RequestInLog.caller(tenant);
        }
    }

    @Test
    void anOutageNamesTheRequestAndTheCallersTenant() {
        within("POST", "/api/orders/o1/listCredentials", TENANT);

        List<String> lines = logged(new ServiceException(
                ErrorCode.KeyVaultUnavailable, "Key Vault is failing", "kekUrl", Duration.ofSeconds(1), null));

        assertThat(lines)
                .containsExactly("KeyVaultUnavailable in POST /api/orders/o1/listCredentials (tenant " + TENANT
                        + "): Key Vault is failing");
    }

    @Test
    void anInternalErrorNamesTheRequestAndTheCallersTenant() {
        within("DELETE", "/api/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataBox/jobs/j", TENANT);

        List<String> lines = logged(new ServiceException(ErrorCode.InternalError, "broken", null));

        assertThat(lines)
                .containsExactly("Internal error in DELETE /api/subscriptions/s/resourceGroups/rg/providers"
                        + "/Microsoft.DataBox/jobs/j (tenant " + TENANT + "): broken");
    }

    @Test
    void aRequestWithoutAVerifiedCallerIsNamedWithoutATenant() {
        within("GET", "/api/orders/o1\nFAKE LINE", null);

        assertThat(logged(new ServiceException(ErrorCode.StorageUnavailable, "Storage is failing", null, null, null)))
                .containsExactly("StorageUnavailable in GET /api/orders/o1?FAKE LINE: Storage is failing");
    }

    @Test
    void outsideARequestTheLineIsAsBefore() {
        assertThat(logged(new ServiceException(ErrorCode.StorageUnavailable, "Storage is failing", null, null, null)))
                .containsExactly("StorageUnavailable: Storage is failing");
    }

    /**
     * bug bash ob1 F3: each try of the SDK's retry policy was a suppressed copy of the failure, and Reactor's block()
     * one more, each with its stack: one internal error came to 108 lines. One stack now, and no query's values.
     */
    @Test
    void anInternalErrorsCauseIsLoggedOnceWithoutItsTriesNorAQuerysValues() {
        within("PUT", "/api/orders/mmk-2", TENANT);
        RuntimeException refused = refused("try 4");
        for (int attempt = 1; attempt <= 3; attempt++) {
            refused.addSuppressed(refused("try " + attempt));
        }
        refused.addSuppressed(new Exception("#block terminated with an error"));

        String logged;
        try (LoggedRecords records =
                LoggedRecords.capture(r -> r.getLoggerName().equals(AnsweredFailures.class.getName()))) {
            AnsweredFailures.log(new ServiceException(ErrorCode.InternalError, "broken", null, null, refused));
            logged = new PatternFormatter("%s%e")
                    .format((ExtLogRecord) records.records().getFirst());
        }

        assertThat(logged)
                .contains("java.lang.IllegalStateException: Managed Identity authentication failed for"
                        + " /queue/messages/m?popreceipt=…&visibilitytimeout=…")
                .contains("Caused by: java.lang.SecurityException: The X-IDENTITY-HEADER header is not valid (try 4)")
                .doesNotContain("Suppressed")
                .doesNotContain("try 1")
                .doesNotContain("AgAAAAMAAAA");
        assertThat(logged.lines().filter(l -> l.contains("AnsweredFailuresUnitTest.anInternalErrorsCause")))
                .hasSize(1);
    }

    private static RuntimeException refused(String attempt) {
        return new IllegalStateException(
                "Managed Identity authentication failed for /queue/messages/m?popreceipt=AgAAAAMAAAA&visibilitytimeout=30",
                new SecurityException("The X-IDENTITY-HEADER header is not valid (" + attempt + ")"));
    }
}
