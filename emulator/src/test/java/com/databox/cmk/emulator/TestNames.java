package com.databox.cmk.emulator;

import java.util.UUID;

/** Unique vault, key and identity names, so that test classes can share the JVM-wide emulator. */
public final class TestNames {

    private TestNames() {}

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
