package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IfNoneMatchUnitTest {
    private static final String ETAG = "W/\"datetime'2026-12-05T03%3A45%3A00.1Z'\"";

    @Test
    void absentIsNoneAndEmptyNamesNothing() {
        assertThat(IfNoneMatch.of(null)).isEmpty();
        assertThat(IfNoneMatch.of("").orElseThrow().namesNothing()).isTrue();
        assertThat(IfNoneMatch.of(" , ").orElseThrow().namesNothing()).isTrue();
        assertThat(IfNoneMatch.of("*").orElseThrow().namesNothing()).isFalse();
        assertThatThrownBy(() -> IfNoneMatch.of(",", () -> new IllegalArgumentException("empty")))
                .hasMessage("empty");
        assertThat(IfNoneMatch.of(null, () -> new IllegalArgumentException("empty")))
                .isEmpty();
    }

    @Test
    void anyMatchesEveryVersion() {
        IfNoneMatch any = IfNoneMatch.of(" * ").orElseThrow();
        assertThat(any.any()).isTrue();
        assertThat(any.matches(ETAG)).isTrue();
        assertThat(IfNoneMatch.of(ETAG).orElseThrow().any()).isFalse();
    }

    @Test
    void tagsAreComparedWeakly() {
        String strong = ETAG.substring(2);
        assertThat(IfNoneMatch.of(strong).orElseThrow().matches(ETAG)).isTrue();
        assertThat(IfNoneMatch.of(ETAG).orElseThrow().matches(strong)).isTrue();
        assertThat(IfNoneMatch.of("\"x\", " + ETAG).orElseThrow().matches(ETAG)).isTrue();
        assertThat(IfNoneMatch.of("\"x\", \"y\"").orElseThrow().matches(ETAG)).isFalse();
    }
}
