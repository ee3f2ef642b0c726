package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * API.md's table of codes ("Errors") and the enum are the same list, each code at the one status
 * {@link ErrorResponses#status} answers (audit rv7: nothing held the document to the code, as
 * JobErrorCodeUnitTest does for DATABOX-ARM-API.md).
 */
class ErrorCodeTableUnitTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE);

    /** Codes the body never shows: PayloadTooLarge is answered as InvalidRequest (413), API.md's row for it. */
    private static boolean shown(ErrorCode code) {
        return code != ErrorCode.PayloadTooLarge;
    }

    @Test
    void apiMdListsEveryShownCodeAtItsStatus() throws IOException {
        String doc = Files.readString(Path.of("../docs/API.md"));
        String errors = doc.substring(doc.indexOf("\n## Errors"), doc.indexOf("\n## Validation report"));
        Map<String, Integer> documented = new TreeMap<>();
        Matcher row = ROW.matcher(errors);
        while (row.find()) {
            documented.put(row.group(1), Integer.parseInt(row.group(2)));
        }
        Map<String, Integer> code = new TreeMap<>();
        Arrays.stream(ErrorCode.values())
                .filter(ErrorCodeTableUnitTest::shown)
                .forEach(c -> code.put(c.name(), ErrorResponses.status(c)));
        assertThat(documented).isEqualTo(code);
    }

    @Test
    void payloadTooLargeIsAnsweredAsInvalidRequestAt413AsApiMdsInvalidRequestRowSays() throws IOException {
        assertThat(ErrorResponses.status(ErrorCode.PayloadTooLarge)).isEqualTo(413);
        assertThat(Files.readString(Path.of("../docs/API.md"))).contains("body too large (`413`)");
    }
}
