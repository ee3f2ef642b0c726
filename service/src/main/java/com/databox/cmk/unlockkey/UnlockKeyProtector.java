package com.databox.cmk.unlockkey;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Makes device unlock keys and protects them: every wrap is proven by unwrapping the result
 * again, as the same identity, and comparing before anyone may store it.
 */
public final class UnlockKeyProtector {
    private final KeyWrapping keyWrapping;
    private final SecureRandom random;

    public UnlockKeyProtector(KeyWrapping keyWrapping, SecureRandom random) {
        this.keyWrapping = keyWrapping;
        this.random = random;
    }

    /** A new device password that meets {@link DevicePasswords}' rules, as the bytes that get wrapped (ASCII). */
    public byte[] newUnlockKey() {
        return DevicePasswords.generate(random);
    }

    /** Wraps, then unwraps the result and compares; only a proven wrapped key is returned. */
    public WrappedUnlockKey wrapVerified(KeyUrl key, WrappingIdentity identity, byte[] unlockKey) {
        WrappedUnlockKey wrapped = keyWrapping.wrap(key, identity, unlockKey);
        byte[] roundTrip = keyWrapping.unwrap(wrapped, identity);
        try {
            if (!MessageDigest.isEqual(roundTrip, unlockKey)) {
                throw new ServiceException(
                        ErrorCode.InternalError,
                        "The key " + wrapped.keyUrl()
                                + " did not give back the device unlock key it wrapped; nothing was changed.",
                        null);
            }
            return wrapped;
        } finally {
            Arrays.fill(roundTrip, (byte) 0);
        }
    }

    public byte[] unwrap(WrappedUnlockKey wrapped, WrappingIdentity identity) {
        return keyWrapping.unwrap(wrapped, identity);
    }
}
