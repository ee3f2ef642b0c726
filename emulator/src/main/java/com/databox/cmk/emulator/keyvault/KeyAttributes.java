package com.databox.cmk.emulator.keyvault;

import java.time.Instant;

/** The mutable attributes of a key version (replaced as a whole on update). */
public record KeyAttributes(boolean enabled, Instant notBefore, Instant expires, Instant created, Instant updated) {

    /** Throws Key Vault's 403 when {@code operation} may not use this version now. */
    void checkUsable(String operation, Instant now) {
        if (!enabled) {
            throw DataPlaneErrors.keyDisabled(operation);
        }
        if (expires != null && !now.isBefore(expires)) {
            throw DataPlaneErrors.keyExpired(operation);
        }
        if (notBefore != null && now.isBefore(notBefore)) {
            throw DataPlaneErrors.keyNotYetValid(operation);
        }
    }
}
