package com.databox.cmk.emulator.keyvault;

import java.time.Instant;
import java.util.Set;

/** The mutable attributes of a key version (replaced as a whole on update). */
public record KeyAttributes(boolean enabled, Instant notBefore, Instant expires, Instant created, Instant updated) {

    /**
     * The operations Key Vault refuses outside the validity window ({@code nbf} to {@code exp}): those that make
     * new ciphertext or signatures. Decrypt, unwrapKey and verify keep working, so that data protected before
     * the key expired stays readable (docs/EMULATOR.md, "Validity window").
     */
    static final Set<String> NEEDS_VALIDITY = Set.of("encrypt", "wrapKey", "sign");

    /** Throws Key Vault's 403 when {@code operation} may not use this version now. */
    void checkUsable(String operation, Instant now) {
        if (!enabled) {
            throw DataPlaneErrors.keyDisabled(operation);
        }
        if (!NEEDS_VALIDITY.contains(operation)) {
            return;
        }
        if (expires != null && !now.isBefore(expires)) {
            throw DataPlaneErrors.keyExpired(operation);
        }
        if (notBefore != null && now.isBefore(notBefore)) {
            throw DataPlaneErrors.keyNotYetValid(operation);
        }
    }
}
