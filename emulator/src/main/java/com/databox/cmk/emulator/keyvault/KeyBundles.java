package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Key Vault's JSON for keys: KeyBundle, DeletedKeyBundle and list items. */
public final class KeyBundles {

    private KeyBundles() {}

    static ObjectNode keyBundle(Vault vault, KeyVersion version) {
        ObjectNode bundle = Json.object();
        ObjectNode jwk = bundle.putObject("key");
        jwk.put("kid", vault.kid(version));
        version.material().writePublicJwk(jwk);
        ArrayNode ops = jwk.putArray("key_ops");
        version.keyOps().forEach(ops::add);
        bundle.set("attributes", attributes(vault, version.attributes()));
        putTags(bundle, version);
        return bundle;
    }

    public static ObjectNode deletedBundle(Vault vault, VaultKeys.DeletedKey deleted) {
        ObjectNode bundle = keyBundle(vault, deleted.latest());
        addDeletion(bundle, vault, deleted);
        return bundle;
    }

    /** An item of {@code GET /keys} (versionless kid) or {@code GET /keys/{name}/versions}. */
    static ObjectNode item(Vault vault, KeyVersion version, boolean versioned) {
        ObjectNode item = Json.object();
        item.put("kid", versioned ? vault.kid(version) : vault.vaultUrl() + "/keys/" + version.name());
        item.set("attributes", attributes(vault, version.attributes()));
        putTags(item, version);
        return item;
    }

    static ObjectNode deletedItem(Vault vault, VaultKeys.DeletedKey deleted) {
        ObjectNode item = item(vault, deleted.latest(), false);
        addDeletion(item, vault, deleted);
        return item;
    }

    /** Key Vault leaves {@code tags} out when a key has none. */
    private static void putTags(ObjectNode node, KeyVersion version) {
        if (version.tags().isEmpty()) {
            return;
        }
        ObjectNode tags = node.putObject("tags");
        version.tags().forEach(tags::put);
    }

    private static void addDeletion(ObjectNode bundle, Vault vault, VaultKeys.DeletedKey deleted) {
        if (deleted.scheduledPurgeDate() != null) {
            bundle.put(
                    "recoveryId",
                    vault.vaultUrl() + "/deletedkeys/" + deleted.latest().name());
            bundle.put("scheduledPurgeDate", deleted.scheduledPurgeDate().getEpochSecond());
        }
        bundle.put("deletedDate", deleted.deletedDate().getEpochSecond());
    }

    private static ObjectNode attributes(Vault vault, KeyAttributes attributes) {
        VaultSettings settings = vault.settings();
        ObjectNode node = Json.object();
        node.put("enabled", attributes.enabled());
        putTime(node, "nbf", attributes.notBefore());
        putTime(node, "exp", attributes.expires());
        putTime(node, "created", attributes.created());
        putTime(node, "updated", attributes.updated());
        node.put("recoveryLevel", settings.recoveryLevel());
        node.put("recoverableDays", settings.recoverableDays());
        node.put("exportable", false);
        return node;
    }

    private static void putTime(ObjectNode node, String field, Instant time) {
        if (time != null) {
            node.put(field, time.getEpochSecond());
        }
    }
}
