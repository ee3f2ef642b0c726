package com.databox.cmk.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ArmErrorsUnitTest {
    /** No code of the service's own that the contract does not list reaches the jobs surface (review rv5 M14). */
    @Test
    void aBodyTooLargeIsInvalidRequestContentAt413() {
        Response response =
                ArmErrors.of(new ServiceException(ErrorCode.PayloadTooLarge, "The body is too large.", null));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(((ObjectNode) response.getEntity())
                        .path("error")
                        .path("code")
                        .asText())
                .isEqualTo("InvalidRequestContent");
    }
}
