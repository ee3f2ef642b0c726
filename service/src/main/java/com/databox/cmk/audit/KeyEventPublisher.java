package com.databox.cmk.audit;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.OrderRef;
import java.time.Clock;

/** Tells Logic Apps what the audit changed: access lost, access restored, a newer key version. */
public final class KeyEventPublisher {
    private final CmkEvents events;
    private final Clock clock;

    public KeyEventPublisher(CmkEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public void accessLost(OrderRef order, String kekUrl, ErrorCode code, String message) {
        publish(CmkEvent.Type.KeyAccessLost, order, kekUrl, null, code, message);
    }

    public void accessRestored(OrderRef order, String kekUrl) {
        publish(CmkEvent.Type.KeyAccessRestored, order, kekUrl, null, null, null);
    }

    /** The order is held before a stage until the customer fixes its key and resumes it (mitigate). */
    public void waitingForKek(OrderRef order, String kekUrl, ErrorCode code, String message) {
        publish(CmkEvent.Type.WaitingForCustomerActionForKek, order, kekUrl, null, code, message);
    }

    public void versionRotated(OrderRef order, String kekUrl, String previousKekUrl) {
        publish(CmkEvent.Type.KeyVersionRotated, order, kekUrl, previousKekUrl, null, null);
    }

    private void publish(
            CmkEvent.Type type, OrderRef order, String kekUrl, String previousKekUrl, ErrorCode code, String message) {
        events.publish(new CmkEvent(
                type,
                order.tenant().value(),
                order.name().value(),
                clock.instant(),
                kekUrl,
                previousKekUrl,
                code == null ? null : code.name(),
                message));
    }
}
