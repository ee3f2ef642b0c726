package com.databox.cmk.audit;

import java.time.Instant;

/**
 * A change worth telling a Logic App about, published as a CloudEvent on {@code cmk-events}.
 * It names the order, its tenant and the key, never key material; a subscriber acts only on the
 * events of its own tenant ({@code tenantid}, issue 12).
 */
public record CmkEvent(
        Type type,
        String tenantId,
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
