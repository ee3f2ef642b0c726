package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IfMatchUnitTest {
    private static final String ETAG = "W/\"datetime'2026-12-05T03%3A45%3A00.1Z'\"";

    @Test
    void absentOrAnyMatchesEveryVersionAndNamesNone() {
        assertThat(IfMatch.matches(null, ETAG)).isTrue();
        assertThat(IfMatch.matches(" * ", ETAG)).isTrue();
        assertThat(IfMatch.namesAVersion(null)).isFalse();
        assertThat(IfMatch.namesAVersion("*")).isFalse();
        assertThat(IfMatch.namesAVersion(ETAG)).isTrue();
    }

    @Test
    void aListMatchesWhenOneOfItsTagsIsTheCurrentOne() {
        assertThat(IfMatch.matches(ETAG, ETAG)).isTrue();
        assertThat(IfMatch.matches(" " + ETAG + " ", ETAG)).isTrue();
        assertThat(IfMatch.matches("\"x\", " + ETAG, ETAG)).isTrue();
        assertThat(IfMatch.matches(ETAG + ",\"x\"", ETAG)).isTrue();
        assertThat(IfMatch.matches("\"x\", \"y\"", ETAG)).isFalse();
    }

    @Test
    void aCommaInsideAQuotedTagDoesNotSplitTheList() {
        assertThat(IfMatch.matches("\"a,b\"", "\"a,b\"")).isTrue();
        assertThat(IfMatch.matches("\"a,b\", \"c\"", "\"c\"")).isTrue();
        assertThat(IfMatch.matches("\"a,b\"", "b\"")).isFalse();
        assertThat(IfMatch.matches("\"a,b\"", "\"a")).isFalse();
    }

    @Test
    void aTagIsComparedAsWritten() {
        assertThat(IfMatch.matches(ETAG.substring(2), ETAG)).isFalse();
        assertThat(IfMatch.matches(ETAG.toUpperCase(), ETAG)).isFalse();
    }
}
