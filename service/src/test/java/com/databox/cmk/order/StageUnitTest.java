package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What each stage allows, named on the stage: the Data Box jobs API's {@code isCancellable} and {@code isDeletable}
 * were worked out from the stages' declaration order in the job's JSON and again in the service (review rv5 H1).
 */
class StageUnitTest {

    @Test
    void aJobIsCancellableUntilItsDeviceIsDispatched() {
        assertThat(Arrays.stream(Stage.values()).filter(Stage::isCancellable))
                .containsExactly(Stage.DeviceOrdered, Stage.DevicePrepared);
    }

    @Test
    void onlyAJobThatHasEndedIsDeletable() {
        assertThat(Arrays.stream(Stage.values()).filter(Stage::isDeletable))
                .containsExactly(
                        Stage.Completed,
                        Stage.CompletedWithErrors,
                        Stage.CompletedWithWarnings,
                        Stage.Cancelled,
                        Stage.Aborted);
    }
}
