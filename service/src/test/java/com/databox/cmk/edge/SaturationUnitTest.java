package com.databox.cmk.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.app.TestCmkConfigs;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Readiness counts the requests in flight besides the probe asking for it. */
class SaturationUnitTest {
    private final Saturation saturation = new Saturation();

    private HealthCheckResponse probedWith(int limit, int othersInFlight) {
        saturation.config = TestCmkConfigs.with(Map.of("cmk.http.max-in-flight", String.valueOf(limit)));
        saturation.requests = new InFlightRequests();
        for (int i = 0; i < othersInFlight + 1; i++) {
            saturation.requests.started();
        }
        return saturation.call();
    }

    /** Bug bash bb95 L8: with a limit of 1 the app was never ready, the probe counting itself. */
    @Test
    void theProbeDoesNotCountItself() {
        assertThat(probedWith(1, 0).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(probedWith(1, 0).getData().orElseThrow()).containsEntry("inFlight", 0L);
        assertThat(probedWith(1, 1).getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void readinessIsDownOnceTheOthersReachTheLimit() {
        assertThat(probedWith(3, 2).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(probedWith(3, 3).getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }
}
