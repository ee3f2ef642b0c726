package com.databox.cmk.emulator;

import java.util.List;

/** One version of a key. */
record KeyVersion(String name, String version, KeyMaterial material, List<String> keyOps, KeyAttributes attributes) {

    KeyVersion withAttributes(KeyAttributes newAttributes) {
        return new KeyVersion(name, version, material, keyOps, newAttributes);
    }

    boolean allows(String operation) {
        return keyOps.contains(operation);
    }
}
