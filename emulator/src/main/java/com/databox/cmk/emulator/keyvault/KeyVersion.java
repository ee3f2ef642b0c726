package com.databox.cmk.emulator.keyvault;

import java.util.List;
import java.util.Map;

/** One version of a key: its material, permitted operations ({@code key_ops}), tags and attributes. */
public record KeyVersion(
        String name,
        String version,
        KeyMaterial material,
        List<String> keyOps,
        Map<String, String> tags,
        KeyAttributes attributes) {

    public KeyVersion {
        keyOps = List.copyOf(keyOps);
        tags = Map.copyOf(tags);
    }

    KeyVersion withAttributes(KeyAttributes newAttributes) {
        return new KeyVersion(name, version, material, keyOps, tags, newAttributes);
    }

    KeyVersion withKeyOps(List<String> newKeyOps) {
        return new KeyVersion(name, version, material, newKeyOps, tags, attributes);
    }

    KeyVersion withTags(Map<String, String> newTags) {
        return new KeyVersion(name, version, material, keyOps, newTags, attributes);
    }

    boolean allows(String operation) {
        return keyOps.contains(operation);
    }
}
