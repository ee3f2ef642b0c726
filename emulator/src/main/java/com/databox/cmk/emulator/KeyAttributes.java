package com.databox.cmk.emulator;

import java.time.Instant;

/** The mutable attributes of a key version (replaced as a whole on update). */
record KeyAttributes(boolean enabled, Instant notBefore, Instant expires, Instant created, Instant updated) {

    /** Throws Key Vault's 403 when {@code operation} may not use this version now. */
    void checkUsable(String operation, Instant now) {
        if (!enabled) {
            throw KeyVaultErrors.keyDisabled(operation);
        }
        if (expires != null && !now.isBefore(expires)) {
            throw KeyVaultErrors.keyExpired(operation);
        }
        if (notBefore != null && now.isBefore(notBefore)) {
            throw KeyVaultErrors.keyNotYetValid(operation);
        }
    }
}
