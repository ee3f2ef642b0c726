package com.databox.cmk.unlockkey;

import java.util.Arrays;
import java.util.Objects;

/**
 * The device unlock key as stored: wrapped by the key version {@code keyUrl} with
 * {@code algorithm}. Never shown to callers, never logged.
 */
public record WrappedUnlockKey(KeyUrl keyUrl, String algorithm, byte[] value) {
    public WrappedUnlockKey {
        Objects.requireNonNull(keyUrl, "keyUrl");
        value = value.clone();
    }

    /** The same ciphertext as another key would unwrap it: only one of the same key material can. */
    public WrappedUnlockKey asWrappedBy(KeyUrl otherKey) {
        return new WrappedUnlockKey(otherKey, algorithm, value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrappedUnlockKey w
                && keyUrl.equals(w.keyUrl)
                && algorithm.equals(w.algorithm)
                && Arrays.equals(value, w.value);
    }

    @Override
    public int hashCode() {
        return keyUrl.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "WrappedUnlockKey[keyUrl=" + keyUrl + ", algorithm=" + algorithm + ", value=<redacted>]";
    }
}
