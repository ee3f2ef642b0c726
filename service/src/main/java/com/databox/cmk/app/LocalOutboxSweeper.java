package com.databox.cmk.app;

import com.databox.cmk.error.FailuresInLog;
import com.databox.cmk.outbox.OutboxRelay;
import com.databox.cmk.outbox.SweepResult;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Plays the Functions host's {@code outbox-relay} timer where there is no host (the local stack):
 * sweeps the orders' outbox every {@code cmk.outbox.local-sweep-interval}. Off unless that is set.
 */
@ApplicationScoped
public class LocalOutboxSweeper {
    private static final Logger LOG = Logger.getLogger(LocalOutboxSweeper.class);

    @Inject
    CmkConfig config;

    @Inject
    OutboxRelay relay;

    private volatile Thread worker;

    void onStart(@Observes StartupEvent start) {
        config.outbox()
                .localSweepInterval()
                .ifPresent(interval ->
                        worker = Thread.ofVirtual().name("local-outbox-sweeper").start(() -> sweepEvery(interval)));
    }

    void onStop(@Observes ShutdownEvent stop) {
        Thread running = worker;
        if (running != null) {
            running.interrupt();
        }
    }

    private void sweepEvery(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                SweepResult result = relay.sweep();
                if (result.published() > 0) {
                    LOG.infof("Outbox sweep published %s events", result.published());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Storage not answering yet (the local stack starts Azurite just before the app): next time.
                LOG.warn("Sweeping the outbox failed; trying again", FailuresInLog.trimmed(e));
            }
        }
    }
}
