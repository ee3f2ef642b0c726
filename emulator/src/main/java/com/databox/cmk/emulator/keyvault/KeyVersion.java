package com.databox.cmk.emulator.keyvault;

import java.util.List;

/** One version of a key. */
public record KeyVersion(String name, String version, KeyMaterial material, List<String> keyOps, KeyAttributes attributes) {

    KeyVersion withAttributes(KeyAttributes newAttributes) {
        return new KeyVersion(name, version, material, keyOps, newAttributes);
    }

    boolean allows(String operation) {
        return keyOps.contains(operation);
    }
}
