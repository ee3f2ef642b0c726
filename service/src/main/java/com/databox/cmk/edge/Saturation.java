package com.databox.cmk.edge;

import com.databox.cmk.app.CmkConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness is DOWN while the requests in flight, the probe's own aside, reach {@code cmk.http.max-in-flight}, so that a
 * load balancer sends new work elsewhere until they drain.
 */
@Readiness
@ApplicationScoped
public class Saturation implements HealthCheck {
    @Inject
    CmkConfig config;

    @Inject
    InFlightRequests requests;

    @Override
    public HealthCheckResponse call() {
        // The probe is a request in flight itself: counted, a limit of 1 was never ready and N admitted N - 1 others
        // (bug bash bb95 L8).
        int inFlight = Math.max(0, requests.inFlight() - 1);
        int limit = config.http().maxInFlight();
        return HealthCheckResponse.named("requests in flight")
                .status(inFlight < limit)
                .withData("inFlight", inFlight)
                .withData("awaitingBody", requests.awaitingBodyCount())
                .withData("limit", limit)
                .build();
    }
}
