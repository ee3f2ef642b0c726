package com.databox.cmk.emulator.keyvault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The keys of one vault: versions of active keys and soft-deleted keys. Names are
 * case-insensitive as in Key Vault. All methods lock the store; material is made outside it.
 */
public final class VaultKeys {

    /** A soft-deleted key with all its versions. */
    public record DeletedKey(List<KeyVersion> versions, Instant deletedDate, Instant scheduledPurgeDate) {
        public KeyVersion latest() {
            return versions.getLast();
        }
    }

    private final Map<String, List<KeyVersion>> active = new HashMap<>();
    private final Map<String, DeletedKey> deleted = new HashMap<>();

    static void checkName(String name) {
        if (name == null || !name.matches("[0-9A-Za-z-]{1,127}")) {
            throw DataPlaneErrors.badParameter("The key name '" + name + "' is invalid: 1-127 letters, digits or '-'.");
        }
    }

    synchronized KeyVersion add(String name, KeyMaterial material, KeySpec spec, Instant now) {
        checkName(name);
        String id = id(name);
        if (deleted.containsKey(id)) {
            throw DataPlaneErrors.keyIsDeleted(name);
        }
        List<String> ops = spec.keyOps() == null || spec.keyOps().isEmpty() ? material.defaultOps() : List.copyOf(spec.keyOps());
        KeyAttributes attributes = new KeyAttributes(spec.enabled() == null || spec.enabled(), spec.notBefore(), spec.expires(), now, now);
        List<KeyVersion> versions = active.computeIfAbsent(id, k -> new ArrayList<>());
        String displayName = versions.isEmpty() ? name : versions.getFirst().name();
        KeyVersion version = new KeyVersion(displayName, UUID.randomUUID().toString().replace("-", ""), material, ops, attributes);
        versions.add(version);
        return version;
    }

    /** A version, or the latest one when {@code version} is null or empty. */
    synchronized KeyVersion get(String name, String version) {
        List<KeyVersion> versions = active.get(id(name));
        if (versions == null) {
            throw DataPlaneErrors.keyNotFound(name, version);
        }
        if (version == null || version.isEmpty()) {
            return versions.getLast();
        }
        return versions.stream().filter(v -> v.version().equalsIgnoreCase(version)).findFirst()
                .orElseThrow(() -> DataPlaneErrors.keyNotFound(name, version));
    }

    public synchronized List<KeyVersion> versions(String name) {
        List<KeyVersion> versions = active.get(id(name));
        if (versions == null) {
            throw DataPlaneErrors.keyNotFound(name, null);
        }
        return List.copyOf(versions);
    }

    synchronized List<KeyVersion> latestVersions() {
        return active.values().stream().map(List::getLast).toList();
    }

    synchronized KeyVersion update(String name, String version, UnaryOperator<KeyAttributes> change) {
        KeyVersion current = get(name, version);
        List<KeyVersion> versions = active.get(id(name));
        KeyVersion updated = current.withAttributes(change.apply(current.attributes()));
        versions.set(versions.indexOf(current), updated);
        return updated;
    }

    /** Deletes a key; it is kept as deleted only with soft delete. */
    public synchronized DeletedKey delete(String name, boolean softDelete, int retentionDays, Instant now) {
        List<KeyVersion> versions = active.remove(id(name));
        if (versions == null) {
            throw DataPlaneErrors.keyNotFound(name, null);
        }
        DeletedKey removed = new DeletedKey(List.copyOf(versions), now, softDelete ? now.plus(Duration.ofDays(retentionDays)) : null);
        if (softDelete) {
            deleted.put(id(name), removed);
        }
        return removed;
    }

    public synchronized DeletedKey deleted(String name) {
        DeletedKey key = deleted.get(id(name));
        if (key == null) {
            throw DataPlaneErrors.deletedKeyNotFound(name);
        }
        return key;
    }

    synchronized List<DeletedKey> allDeleted() {
        return List.copyOf(deleted.values());
    }

    public synchronized KeyVersion recover(String name) {
        DeletedKey key = deleted(name);
        deleted.remove(id(name));
        active.put(id(name), new ArrayList<>(key.versions()));
        return key.latest();
    }

    public synchronized void purge(String name) {
        deleted(name);
        deleted.remove(id(name));
    }

    private static String id(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
