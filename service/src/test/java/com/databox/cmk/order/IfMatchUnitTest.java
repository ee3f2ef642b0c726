package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class IfMatchUnitTest {
    private static final String ETAG = "W/\"datetime'2026-12-05T03%3A45%3A00.1Z'\"";

    @Test
    void absentOrAnyMatchesEveryVersionAndNamesNone() {
        assertThat(IfMatch.ABSENT.matches(ETAG)).isTrue();
        assertThat(IfMatch.of(" * ").matches(ETAG)).isTrue();
        assertThat(IfMatch.ABSENT.namesAVersion()).isFalse();
        assertThat(IfMatch.of("*").namesAVersion()).isFalse();
        assertThat(IfMatch.of(ETAG).namesAVersion()).isTrue();
    }

    @Test
    void anyIsSentAndAbsentIsNot() {
        assertThat(IfMatch.ABSENT.sent()).isFalse();
        assertThat(IfMatch.of(null)).isEqualTo(IfMatch.ABSENT);
        assertThat(IfMatch.of("*").sent()).isTrue();
        assertThat(IfMatch.of(ETAG).sent()).isTrue();
        assertThat(IfMatch.of(ETAG)).isEqualTo(IfMatch.version(ETAG)).isNotEqualTo(IfMatch.of("*"));
    }

    @Test
    void aRequestsNextStepIsHeldToTheVersionItsStepWroteOnlyWhenItNamedAVersion() {
        String written = "W/\"datetime'2026-12-05T03%3A45%3A01.2Z'\"";
        assertThat(IfMatch.ABSENT.nextStepAt(written)).isEqualTo(IfMatch.ABSENT);
        assertThat(IfMatch.of("*").nextStepAt(written)).isEqualTo(IfMatch.ABSENT);
        assertThat(IfMatch.of(ETAG).nextStepAt(written).matches(written)).isTrue();
        assertThat(IfMatch.of(ETAG).nextStepAt(written).matches(ETAG)).isFalse();
    }

    @Test
    void aListMatchesWhenOneOfItsTagsIsTheCurrentOne() {
        assertThat(IfMatch.of(ETAG).matches(ETAG)).isTrue();
        assertThat(IfMatch.of(" " + ETAG + " ").matches(ETAG)).isTrue();
        assertThat(IfMatch.of("\"x\", " + ETAG).matches(ETAG)).isTrue();
        assertThat(IfMatch.of(ETAG + ",\"x\"").matches(ETAG)).isTrue();
        assertThat(IfMatch.of("\"x\", \"y\"").matches(ETAG)).isFalse();
    }

    @Test
    void aCommaInsideAQuotedTagDoesNotSplitTheList() {
        assertThat(IfMatch.of("\"a,b\"").matches("\"a,b\"")).isTrue();
        assertThat(IfMatch.of("\"a,b\", \"c\"").matches("\"c\"")).isTrue();
        assertThat(IfMatch.of("\"a,b\"").matches("b\"")).isFalse();
        assertThat(IfMatch.of("\"a,b\"").matches("\"a")).isFalse();
    }

    @Test
    void aTagIsComparedAsWritten() {
        assertThat(IfMatch.of(ETAG.substring(2)).matches(ETAG)).isFalse();
        assertThat(IfMatch.of(ETAG.toUpperCase(Locale.ROOT)).matches(ETAG)).isFalse();
    }
}
