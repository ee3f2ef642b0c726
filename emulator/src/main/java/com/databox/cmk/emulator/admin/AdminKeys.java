package com.databox.cmk.emulator.admin;

import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.keyvault.DataPlaneErrors;
import com.databox.cmk.emulator.keyvault.KeyAttributes;
import com.databox.cmk.emulator.keyvault.KeyBundles;
import com.databox.cmk.emulator.keyvault.KeyOperations;
import com.databox.cmk.emulator.keyvault.KeySpec;
import com.databox.cmk.emulator.keyvault.KeyVersion;
import com.databox.cmk.emulator.keyvault.Vault;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The admin API's key calls under {@code /admin/vaults/{vault}/keys/{key}}. */
final class AdminKeys {

    private AdminKeys() {}

    /** {@code path} starts at the key name; answers null when nothing matches. */
    static JsonNode route(
            String method, Vault vault, KeyOperations operations, List<String> path, JsonNode body, boolean force) {
        String key = path.getFirst();
        if (path.size() == 1) {
            return switch (method) {
                case "POST" -> created(vault, operations.create(key, spec(body)));
                case "DELETE" ->
                    KeyBundles.deletedBundle(
                            vault,
                            vault.keys()
                                    .delete(
                                            key,
                                            vault.settings().softDelete(),
                                            vault.settings().retentionDays(),
                                            Instant.now()));
                case "GET" -> versions(vault, key);
                default -> null;
            };
        }
        if (path.size() != 2) {
            return null;
        }
        String second = path.get(1);
        if (method.equals("POST") && second.equals("recover")) {
            return created(vault, vault.keys().recover(key));
        }
        if (method.equals("DELETE") && second.equals("purge")) {
            if (vault.settings().purgeProtection() && !force) {
                vault.keys().deleted(key);
                throw DataPlaneErrors.purgeProtected(vault.name());
            }
            vault.keys().purge(key);
            return Json.object().put("purged", key);
        }
        if (method.equals("PATCH")) {
            if (body.path("key_ops").isArray()) {
                operations.updateKeyOps(key, second, keyOps(body));
            }
            return created(vault, operations.updateAttributes(key, second, body));
        }
        return null;
    }

    private static KeySpec spec(JsonNode body) {
        String kty = AdminHandler.required(body, "kty");
        Integer size = Json.integer(body, "size");
        return new KeySpec(
                kty,
                size,
                Json.text(body, "crv"),
                body.path("key_ops").isArray() ? keyOps(body) : null,
                Json.bool(body, "enabled"),
                Json.instant(body, "nbf"),
                Json.instant(body, "exp"));
    }

    /** A key's permitted operations ({@code key_ops}), as a test sets them to show a refused operation. */
    private static List<String> keyOps(JsonNode body) {
        List<String> ops = new java.util.ArrayList<>();
        body.path("key_ops").forEach(op -> ops.add(op.asText()));
        return ops;
    }

    private static JsonNode versions(Vault vault, String key) {
        ObjectNode answer = Json.object().put("name", key);
        List<KeyVersion> versions = vault.keys().versions(key);
        if (versions.isEmpty()) {
            throw DataPlaneErrors.keyNotFound(key, null);
        }
        versions.forEach(v -> answer.withArray("versions").add(created(vault, v)));
        return answer;
    }

    private static ObjectNode created(Vault vault, KeyVersion version) {
        KeyAttributes attributes = version.attributes();
        ObjectNode node = Json.object()
                .put("kid", vault.kid(version))
                .put("name", version.name())
                .put("version", version.version())
                .put("kty", version.material().kty())
                .put("enabled", attributes.enabled());
        if (attributes.notBefore() != null) {
            node.put("nbf", attributes.notBefore().getEpochSecond());
        }
        if (attributes.expires() != null) {
            node.put("exp", attributes.expires().getEpochSecond());
        }
        return node;
    }
}
