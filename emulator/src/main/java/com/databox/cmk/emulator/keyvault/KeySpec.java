package com.databox.cmk.emulator.keyvault;

import java.time.Instant;
import java.util.List;

/** What to create: type, size or curve, operations and the initial attributes (nulls mean defaults). */
public record KeySpec(String kty, Integer size, String curve, List<String> keyOps, Boolean enabled, Instant notBefore, Instant expires) {

    public static KeySpec of(String kty, Integer size) {
        return new KeySpec(kty, size, null, null, null, null, null);
    }
}
