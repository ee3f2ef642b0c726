package com.databox.cmk.encryption;

import java.security.SecureRandom;

/**
 * The value a check wraps and unwraps to prove that an identity can use a key: random, never the order's
 * device unlock key, so that a check exposes nothing and changes nothing.
 */
public final class Probe {
    /** Well within what RSA-OAEP-256 wraps with the smallest key accepted (2,048 bits: up to 190 bytes). */
    static final int LENGTH = 32;

    private Probe() {}

    public static byte[] random(SecureRandom random) {
        byte[] probe = new byte[LENGTH];
        random.nextBytes(probe);
        return probe;
    }
}
