package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.LoggedRecords;
import java.util.Locale;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The refusal line's documented shape (docs/DEPLOY.md, "Refused <method> <path>: <status> <code>") whatever the
 * JVM's default locale (lc1): its {@code %d} followed the default locale, so an instance in ar-EG logged
 * "Refused GET …: ٤٠٤ OrderNotFound" and th-TH-TH "๔๐๔", which no query for " 404 " or " 4\d\d " finds.
 */
class RefusedRequestsLocaleUnitTest {
    private Locale before;

    @BeforeEach
    void remember() {
        before = Locale.getDefault();
        MDC.clear();
    }

    @AfterEach
    void restore() {
        Locale.setDefault(before);
        MDC.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-EG", "th-TH-u-nu-thai", "hi-IN-u-nu-deva", "tr-TR"})
    void theStatusIsWrittenInAsciiDigitsWhateverTheDefaultLocale(String tag) {
        Locale.setDefault(Locale.forLanguageTag(tag));
        try (LoggedRecords logged =
                LoggedRecords.capture(r -> r.getLoggerName().equals(RefusedRequests.class.getName()))) {
            RefusedRequests.log("GET", "/api/orders/missing-1", 404, "OrderNotFound");

            assertThat(logged.records())
                    .map(r -> ((ExtLogRecord) r).getFormattedMessage())
                    .containsExactly("Refused GET /api/orders/missing-1: 404 OrderNotFound");
        }
    }
}
