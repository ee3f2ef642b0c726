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
    private final Map<String, RotationPolicy> policies = new HashMap<>();

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
        List<String> ops =
                spec.keyOps() == null || spec.keyOps().isEmpty() ? material.defaultOps() : List.copyOf(spec.keyOps());
        KeyAttributes attributes =
                new KeyAttributes(spec.enabled() == null || spec.enabled(), spec.notBefore(), spec.expires(), now, now);
        List<KeyVersion> versions = active.computeIfAbsent(id, k -> new ArrayList<>());
        String displayName = versions.isEmpty() ? name : versions.getFirst().name();
        KeyVersion version = new KeyVersion(
                displayName,
                UUID.randomUUID().toString().replace("-", ""),
                material,
                ops,
                spec.tags() == null ? Map.of() : spec.tags(),
                attributes);
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
        return versions.stream()
                .filter(v -> v.version().equalsIgnoreCase(version))
                .findFirst()
                .orElseThrow(() -> DataPlaneErrors.keyNotFound(name, version));
    }

    /** The versions of a key, oldest first; none for a key that does not exist (Key Vault answers an empty list). */
    public synchronized List<KeyVersion> versions(String name) {
        List<KeyVersion> versions = active.get(id(name));
        return versions == null ? List.of() : List.copyOf(versions);
    }

    /** The latest version of every key, by name (a stable order, so that pages do not overlap). */
    synchronized List<KeyVersion> latestVersions() {
        return active.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().getLast())
                .toList();
    }

    synchronized KeyVersion update(String name, String version, UnaryOperator<KeyVersion> change) {
        KeyVersion current = get(name, version);
        List<KeyVersion> versions = active.get(id(name));
        KeyVersion updated = change.apply(current);
        versions.set(versions.indexOf(current), updated);
        return updated;
    }

    /** The key's rotation policy, or null when none was set. */
    synchronized RotationPolicy rotationPolicy(String name) {
        get(name, null);
        return policies.get(id(name));
    }

    synchronized RotationPolicy putRotationPolicy(String name, UnaryOperator<RotationPolicy> change) {
        get(name, null);
        RotationPolicy policy = change.apply(policies.get(id(name)));
        policies.put(id(name), policy);
        return policy;
    }

    /** Restores a key from a backup: refused while a key of that name exists or is deleted, as Key Vault does. */
    synchronized KeyVersion restore(String name, List<KeyVersion> versions, RotationPolicy policy) {
        checkName(name);
        if (deleted.containsKey(id(name))) {
            throw DataPlaneErrors.keyIsDeleted(name);
        }
        if (active.containsKey(id(name))) {
            throw DataPlaneErrors.keyAlreadyExists(name);
        }
        active.put(id(name), new ArrayList<>(versions));
        if (policy != null) {
            policies.put(id(name), policy);
        }
        return versions.getLast();
    }

    /** Deletes a key; it is kept as deleted only with soft delete. */
    public synchronized DeletedKey delete(String name, boolean softDelete, int retentionDays, Instant now) {
        List<KeyVersion> versions = active.remove(id(name));
        if (versions == null) {
            throw DataPlaneErrors.keyNotFound(name, null);
        }
        DeletedKey removed = new DeletedKey(
                List.copyOf(versions), now, softDelete ? now.plus(Duration.ofDays(retentionDays)) : null);
        if (softDelete) {
            deleted.put(id(name), removed);
        } else {
            policies.remove(id(name));
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
        return deleted.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .toList();
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
        policies.remove(id(name));
    }

    private static String id(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
