package com.databox.cmk.edge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** The requests received and not yet answered, and how many of them still wait for their body. */
@ApplicationScoped
public class InFlightRequests {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger awaitingBody = new AtomicInteger();

    void started() {
        inFlight.incrementAndGet();
    }

    void ended() {
        inFlight.decrementAndGet();
    }

    void awaitingBody() {
        awaitingBody.incrementAndGet();
    }

    void bodyDone() {
        awaitingBody.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    int awaitingBodyCount() {
        return awaitingBody.get();
    }
}
