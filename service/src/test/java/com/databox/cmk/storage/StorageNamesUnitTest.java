package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Storage's rules for configured names, the shard queue's leaving room for its poison queue. */
class StorageNamesUnitTest {

    @ParameterizedTest
    @ValueSource(strings = {"orders", "Audits2", "abc"})
    void tableNamesStorageTakes(String name) {
        assertThatCode(() -> StorageNames.requireTableName("t", name)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "bad-name", "a_b", "1x", "tables", ""})
    void tableNamesStorageRefuses(String name) {
        assertThatThrownBy(() -> StorageNames.requireTableName("t", name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("t must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cmk-audit-shards", "abc"})
    void queueNamesWithRoomForPoison(String name) {
        assertThatCode(() -> StorageNames.requireQueueNameWithPoison("q", name)).doesNotThrowAnyException();
    }

    @Test
    void aQueueNameOf56LeavesRoomForItsPoisonQueue() {
        assertThatCode(() -> StorageNames.requireQueueNameWithPoison("q", "a".repeat(56)))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ab",
                "Bad_Queue",
                "-abc",
                "abc-",
                "a--b",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            })
    void queueNamesRefused(String name) {
        assertThatThrownBy(() -> StorageNames.requireQueueNameWithPoison("q", name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("q must be 3 to 56");
    }
}
