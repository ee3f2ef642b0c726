package com.databox.cmk.emulator.keyvault;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What to create: type, size or curve, operations, tags and the initial attributes (nulls mean defaults).
 * {@code checked} applies Key Vault's rules for key types and sizes per vault SKU (the data plane); the
 * admin API leaves it off so that tests can make keys Key Vault no longer creates (RSA-1024, legacy keys).
 */
public record KeySpec(
        String kty,
        Integer size,
        String curve,
        List<String> keyOps,
        Map<String, String> tags,
        Boolean enabled,
        Instant notBefore,
        Instant expires,
        boolean checked) {

    public KeySpec(
            String kty,
            Integer size,
            String curve,
            List<String> keyOps,
            Boolean enabled,
            Instant notBefore,
            Instant expires) {
        this(kty, size, curve, keyOps, null, enabled, notBefore, expires, false);
    }

    public static KeySpec of(String kty, Integer size) {
        return new KeySpec(kty, size, null, null, null, null, null);
    }
}
