package com.databox.cmk.unlockkey;

/**
 * Wraps and unwraps the device unlock key with a Key Vault key, as one identity. Failures
 * are {@link com.databox.cmk.error.ServiceException}s with the contract's codes.
 */
public interface KeyWrapping {
    /** Wraps with {@code key} (versioned or not); the result names the exact key version used. */
    WrappedUnlockKey wrap(KeyUrl key, WrappingIdentity identity, byte[] unlockKey);

    byte[] unwrap(WrappedUnlockKey wrapped, WrappingIdentity identity);
}
