package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.error.RequestInLog;
import com.databox.cmk.testing.LoggedRecords;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service's own faults name the request they failed, as the answered failures' lines do (RequestInLog). */
class ErrorResponsesLogUnitTest {

    @BeforeEach
    @AfterEach
    void clearLoggingContext() {
        MDC.clear();
    }

    @Test
    void anUnexpectedFailureNamesTheRequestAndTheCallersTenant() {
        MDC.put(RequestInLog.METHOD, "POST");
        MDC.put(RequestInLog.PATH, "/api/orders/o1/encryption/change-key");
        RequestInLog.caller("72f988bf-86f1-41af-91ab-2d7cd011db47");
        try (LoggedRecords logged =
                LoggedRecords.capture(r -> r.getLoggerName().equals(ErrorResponses.class.getName()))) {
            new ErrorResponses().unexpected(new IllegalStateException("broken"));

            assertThat(logged.records())
                    .map(r -> ((ExtLogRecord) r).getFormattedMessage())
                    .containsExactly("Unexpected failure in POST /api/orders/o1/encryption/change-key"
                            + " (tenant 72f988bf-86f1-41af-91ab-2d7cd011db47)");
        }
    }
}
