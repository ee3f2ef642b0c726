package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Key backups as Key Vault makes them: an opaque blob with every version of a key, its tags, attributes and
 * rotation policy, sealed (AES-256-GCM) with a key of this emulator process, so that the private material never
 * leaves in the clear and a blob restores only into a vault of the same emulator (Key Vault: the same
 * subscription and geography).
 */
final class KeyBackups {

    private static final byte[] MAGIC = "KVEMU-BACKUP-1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey sealingKey;

    KeyBackups() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            this.sealingKey = generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed backup of the versions (oldest first) and the rotation policy (null: none). */
    byte[] backup(List<KeyVersion> versions, RotationPolicy policy) {
        ObjectNode root = Json.object().put("name", versions.getFirst().name());
        ArrayNode list = root.putArray("versions");
        for (KeyVersion version : versions) {
            KeyMaterial material = version.material();
            ObjectNode node = list.addObject()
                    .put("version", version.version())
                    .put("kty", material.kty())
                    .put("size", material.size())
                    .put("curve", material.curve());
            ArrayNode parts = node.putArray("parts");
            for (byte[] part : material.encoded()) {
                parts.add(Json.base64Url(part));
            }
            version.keyOps().forEach(node.putArray("keyOps")::add);
            ObjectNode tags = node.putObject("tags");
            version.tags().forEach(tags::put);
            KeyAttributes attributes = version.attributes();
            node.put("enabled", attributes.enabled());
            putTime(node, "nbf", attributes.notBefore());
            putTime(node, "exp", attributes.expires());
            putTime(node, "created", attributes.created());
            putTime(node, "updated", attributes.updated());
        }
        if (policy != null) {
            root.set("policy", policy.json(""));
        }
        return seal(Json.bytes(root));
    }

    /** The restored key's name, versions and policy (the caller stores them). */
    record Restored(String name, List<KeyVersion> versions, RotationPolicy policy) {}

    Restored restore(byte[] blob, Instant now) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(unseal(blob));
        } catch (IOException e) {
            throw DataPlaneErrors.invalidBackup(e.getMessage());
        }
        String name = root.path("name").asText();
        List<KeyVersion> versions = new ArrayList<>();
        try {
            for (JsonNode node : root.path("versions")) {
                List<byte[]> parts = new ArrayList<>();
                node.path("parts").forEach(p -> parts.add(Json.fromBase64Url(p.asText())));
                KeyMaterial material = KeyMaterial.decode(
                        node.path("kty").asText(),
                        node.path("size").asInt(),
                        node.path("curve").isNull() ? null : node.path("curve").asText(),
                        parts.toArray(byte[][]::new));
                List<String> ops = new ArrayList<>();
                node.path("keyOps").forEach(op -> ops.add(op.asText()));
                Map<String, String> tags = new LinkedHashMap<>();
                node.path("tags")
                        .properties()
                        .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
                KeyAttributes attributes = new KeyAttributes(
                        node.path("enabled").asBoolean(true),
                        Json.instant(node, "nbf"),
                        Json.instant(node, "exp"),
                        Json.instant(node, "created"),
                        Json.instant(node, "updated"));
                versions.add(new KeyVersion(name, node.path("version").asText(), material, ops, tags, attributes));
            }
        } catch (GeneralSecurityException e) {
            throw DataPlaneErrors.invalidBackup(e.getMessage());
        }
        if (versions.isEmpty()) {
            throw DataPlaneErrors.invalidBackup("no key versions");
        }
        RotationPolicy policy = root.has("policy") ? RotationPolicy.parse(root.get("policy"), null, now) : null;
        return new Restored(name, versions, policy);
    }

    private byte[] seal(byte[] plain) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealingKey, new GCMParameterSpec(128, iv));
            cipher.updateAAD(MAGIC);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(MAGIC.length + iv.length + sealed.length)
                    .put(MAGIC)
                    .put(iv)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a backup", e);
        }
    }

    private byte[] unseal(byte[] blob) {
        if (blob.length < MAGIC.length + 12 + 16 || !Arrays.equals(Arrays.copyOf(blob, MAGIC.length), MAGIC)) {
            throw DataPlaneErrors.invalidBackup("not a key backup");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealingKey, new GCMParameterSpec(128, blob, MAGIC.length, 12));
            cipher.updateAAD(MAGIC);
            return cipher.doFinal(blob, MAGIC.length + 12, blob.length - MAGIC.length - 12);
        } catch (GeneralSecurityException e) {
            throw DataPlaneErrors.invalidBackup("it cannot be opened here");
        }
    }

    private static void putTime(ObjectNode node, String field, Instant time) {
        if (time != null) {
            node.put(field, time.getEpochSecond());
        }
    }
}
