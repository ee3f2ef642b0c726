package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The jobs surface's own codes are the ones DATABOX-ARM-API.md lists, each at the status it gives (review rv5 M10: they
 * were free strings, with nothing to hold the document to).
 */
class JobErrorCodeUnitTest {
    private static final Map<JobException.Kind, String> STATUS = Map.of(
            JobException.Kind.Invalid, "400",
            JobException.Kind.NotFound, "404",
            JobException.Kind.Conflict, "409",
            JobException.Kind.Stale, "412",
            JobException.Kind.Unauthorized, "401",
            JobException.Kind.Forbidden, "403");

    @Test
    void everyCodeIsDocumentedWithItsStatus() throws IOException {
        String doc = Files.readString(Path.of("../docs/DATABOX-ARM-API.md"));
        int start = doc.indexOf("two are renamed to ARM's");
        String list = doc.substring(start, doc.indexOf("What the HTTP layer refuses", start));

        for (JobErrorCode code : JobErrorCode.values()) {
            int named = list.lastIndexOf("`" + code.name() + "`");
            assertThat(named).as(code.name()).isNotNegative();
            // The first status written after the code's name (its last mention) is its group's.
            Matcher status = Pattern.compile("\\((\\d{3})\\)").matcher(list);
            assertThat(status.find(named)).as(code.name()).isTrue();
            assertThat(status.group(1)).as(code.name()).isEqualTo(STATUS.get(code.kind()));
        }
    }
}
