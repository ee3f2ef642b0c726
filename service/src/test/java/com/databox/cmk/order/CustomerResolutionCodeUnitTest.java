package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import org.junit.jupiter.api.Test;

class CustomerResolutionCodeUnitTest {

    @Test
    void aCodeIsReadInAnyCaseAndNothingElseIsACode() {
        assertThat(CustomerResolutionCode.parse("Resume")).contains(CustomerResolutionCode.RESUME);
        assertThat(CustomerResolutionCode.parse("rESUME")).contains(CustomerResolutionCode.RESUME);
        assertThat(CustomerResolutionCode.parse("movetocleanupdevice"))
                .contains(CustomerResolutionCode.MOVE_TO_CLEAN_UP_DEVICE);
        assertThat(CustomerResolutionCode.parse("Resume ")).isEmpty();
        assertThat(CustomerResolutionCode.parse("RESUME_")).isEmpty();
        assertThat(CustomerResolutionCode.parse("")).isEmpty();
        assertThat(CustomerResolutionCode.parse(null)).isEmpty();
    }

    @Test
    void theCodesAreNamedAsDataBoxListsThem() {
        assertThat(CustomerResolutionCode.wireNames())
                .containsExactly("None", "MoveToCleanUpDevice", "Resume", "Restart", "ReachOutToOperation");
    }

    @Test
    void onlyResumeActsOnAnOrderHeldForItsKey() {
        assertThatCode(CustomerResolutionCode.RESUME::requireResume).doesNotThrowAnyException();
        for (CustomerResolutionCode code : CustomerResolutionCode.values()) {
            if (code != CustomerResolutionCode.RESUME) {
                assertThatThrownBy(code::requireResume).isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest);
                    assertThat(e.target()).isEqualTo("customerResolutionCode");
                    assertThat(e.getMessage()).contains("must be Resume");
                });
            }
        }
    }
}
