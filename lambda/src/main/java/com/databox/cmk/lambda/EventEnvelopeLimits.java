package com.databox.cmk.lambda;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.quarkus.amazon.lambda.runtime.AmazonLambdaMapperRecorder;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Lambda reads each invocation's event (API Gateway's request, its body a string inside it) with a copy of the
 * app's JSON mapper, and so with the limits the app sets for request bodies (api/RequestLimits: no string over
 * 8,192 characters): every request whose body, or one header, passed 8 KiB failed before the app saw it, and
 * API Gateway answered its own {@code 500} (bug bash of 2026-12-06, Lambda F0). The envelope is read with
 * Jackson's own limits; the body inside it is read by the app with the contract's, as on Azure ({@code 413},
 * {@code 431}, a string over 8,192 characters {@code 400}).
 *
 * <p>The readers of the events share this mapper's parser factory, so this holds for them whenever they were
 * made. The function runs on Lambda's Java runtime (template.yaml), which hands over the first event once
 * start-up is done, these observers included.
 */
@Singleton
public class EventEnvelopeLimits {
    void readEventsWithJacksonsOwnLimits(@Observes @Priority(1) StartupEvent start) {
        AmazonLambdaMapperRecorder.objectMapper.getFactory().setStreamReadConstraints(StreamReadConstraints.defaults());
    }
}
