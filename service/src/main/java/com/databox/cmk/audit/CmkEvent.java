package com.databox.cmk.audit;

import java.time.Instant;

/**
 * A change worth telling a Logic App about, published as a CloudEvent on {@code cmk-events}.
 * It names the order and the key, never key material.
 */
public record CmkEvent(
        Type type,
        String orderName,
        Instant time,
        String kekUrl,
        String previousKekUrl,
        String errorCode,
        String message) {

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
}
