package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaRangeUnitTest {
    @Test
    void readsTypesAsRfc9110WritesThem() {
        assertThat(MediaRange.parse("application/json ; charset=\"utf-8\""))
                .contains(new MediaRange("application", "json", Map.of("charset", "utf-8")));
        assertThat(MediaRange.parse("Application/JSON;CHARSET=UTF-8;"))
                .contains(new MediaRange("application", "json", Map.of("charset", "UTF-8")));
        assertThat(MediaRange.parse("text/plain; x=\"a\\\"b\"").orElseThrow().parameters())
                .containsEntry("x", "a\"b");
        for (String malformed :
                new String[] {"", "application", "application/", "/json", "a/b c", "a/b;c", "a/b;c=\"d"}) {
            assertThat(MediaRange.parse(malformed)).as(malformed).isEmpty();
        }
    }

    @Test
    void readsAcceptListsWithTheirWeights() {
        assertThat(MediaRange.parseList(" , text/html;q=0.5 ,, application/json"))
                .hasValueSatisfying(ranges -> {
                    assertThat(ranges).hasSize(2);
                    assertThat(ranges.get(0).quality()).isEqualTo(0.5);
                    assertThat(ranges.get(1).quality()).isEqualTo(1);
                });
        assertThat(MediaRange.parseList("text/html application/json")).isEmpty();
    }

    @Test
    void jsonIsRefusedOnlyWhenItsMostSpecificRangeWeighsZero() {
        assertThat(MediaTypes.refusesJson("application/json;q=0")).isTrue();
        assertThat(MediaTypes.refusesJson("*/*;q=0")).isTrue();
        assertThat(MediaTypes.refusesJson("application/json;q=0, */*")).isTrue();
        assertThat(MediaTypes.refusesJson("*/*;q=0, application/json;q=0.1")).isFalse();
        assertThat(MediaTypes.refusesJson("application/*;q=0, application/json"))
                .isFalse();
        assertThat(MediaTypes.refusesJson("text/html")).isFalse(); // not covered at all: the routes answer 406
        assertThat(MediaTypes.refusesJson("application/json;q=zero")).isFalse();
        assertThat(MediaTypes.refusesJson("not a list")).isFalse();
    }
}
