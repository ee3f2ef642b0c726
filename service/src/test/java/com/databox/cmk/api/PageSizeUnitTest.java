package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code top} and {@code $top} are read by this one parser. */
class PageSizeUnitTest {
    @Test
    void readsAWholeNumberInAsciiDigitsOnly() {
        assertThat(PageSize.parse(null)).hasValue(PageSize.DEFAULT);
        assertThat(PageSize.parse("1")).hasValue(1);
        assertThat(PageSize.parse("1000")).hasValue(1000);
        assertThat(PageSize.parse("05")).hasValue(5);
        for (String notAPageSize : new String[] {
            "", "0", "1001", "-1", "+5", " 5", "5 ", "1.5", "abc", "99999999999", "\u0661", "\uff15", "\u0665\u0660"
        }) {
            assertThat(PageSize.parse(notAPageSize)).as(notAPageSize).isEmpty();
        }
    }
}
