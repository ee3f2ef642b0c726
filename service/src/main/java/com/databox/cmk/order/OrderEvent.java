package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import java.time.Instant;
import java.util.UUID;

/**
 * A change of the order that Logic Apps hear about. It is written with the change, in the same
 * transaction (the order's outbox, see {@link Orders#replace(Order, HistoryEntry, java.util.List)}),
 * and published after it, at least once; {@code id} is fixed here, so every delivery of one event
 * carries the same CloudEvents {@code id}. It names the key, never key material.
 */
public record OrderEvent(
        UUID id, Type type, Instant time, String kekUrl, String previousKekUrl, ErrorCode errorCode, String message) {

    public enum Type {
        KeyAccessLost("DataBox.Cmk.KeyAccessLost"),
        KeyAccessRestored("DataBox.Cmk.KeyAccessRestored"),
        KeyVersionRotated("DataBox.Cmk.KeyVersionRotated"),
        WaitingForCustomerActionForKek("DataBox.Cmk.WaitingForCustomerActionForKek");

        private final String cloudEventType;

        Type(String cloudEventType) {
            this.cloudEventType = cloudEventType;
        }

        public String cloudEventType() {
            return cloudEventType;
        }
    }

    public static OrderEvent accessLost(String kekUrl, ErrorCode code, String message, Instant at) {
        return new OrderEvent(UUID.randomUUID(), Type.KeyAccessLost, at, kekUrl, null, code, message);
    }

    public static OrderEvent accessRestored(String kekUrl, Instant at) {
        return new OrderEvent(UUID.randomUUID(), Type.KeyAccessRestored, at, kekUrl, null, null, null);
    }

    /** The order is held before a stage until the customer fixes its key and resumes it (mitigate). */
    public static OrderEvent waitingForKek(String kekUrl, KekWait wait) {
        return new OrderEvent(
                UUID.randomUUID(),
                Type.WaitingForCustomerActionForKek,
                wait.since(),
                kekUrl,
                null,
                wait.errorCode(),
                wait.message());
    }

    public static OrderEvent versionRotated(String kekUrl, String previousKekUrl, Instant at) {
        return new OrderEvent(UUID.randomUUID(), Type.KeyVersionRotated, at, kekUrl, previousKekUrl, null, null);
    }
}
