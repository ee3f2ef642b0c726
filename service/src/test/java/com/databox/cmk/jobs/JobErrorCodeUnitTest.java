package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    void theCodesAreTheDocumentsEachWithItsStatus() throws IOException {
        String doc = Files.readString(Path.of("../docs/DATABOX-ARM-API.md"));
        int start = doc.indexOf("Own codes of");
        String list = doc.substring(start, doc.indexOf("They are `jobs/JobErrorCode`", start));

        Set<String> documented = new TreeSet<>();
        Matcher name = Pattern.compile("`([A-Z][A-Za-z]+)`").matcher(list);
        while (name.find()) {
            documented.add(name.group(1));
        }
        assertThat(documented)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(JobErrorCode.values())
                        .map(JobErrorCode::name)
                        .toList());
        for (JobErrorCode code : JobErrorCode.values()) {
            // The first status written after the code's name is its group's.
            Matcher status = Pattern.compile("\\((\\d{3})\\)").matcher(list);
            assertThat(status.find(list.indexOf("`" + code.name() + "`")))
                    .as(code.name())
                    .isTrue();
            assertThat(status.group(1)).as(code.name()).isEqualTo(STATUS.get(code.kind()));
        }
    }
}
