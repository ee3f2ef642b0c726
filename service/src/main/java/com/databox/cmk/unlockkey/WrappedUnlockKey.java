package com.databox.cmk.unlockkey;

import java.util.Arrays;

/**
 * The device unlock key as stored: wrapped by the key version {@code keyId} with
 * {@code algorithm}. Never shown to callers, never logged.
 */
public record WrappedUnlockKey(String keyId, String algorithm, byte[] value) {
    public WrappedUnlockKey {
        value = value.clone();
    }

    /** The same ciphertext as another key would unwrap it: only one of the same key material can. */
    public WrappedUnlockKey asWrappedBy(String otherKeyId) {
        return new WrappedUnlockKey(otherKeyId, algorithm, value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrappedUnlockKey w
                && keyId.equals(w.keyId)
                && algorithm.equals(w.algorithm)
                && Arrays.equals(value, w.value);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "WrappedUnlockKey[keyId=" + keyId + ", algorithm=" + algorithm + ", value=<redacted>]";
    }
}
