package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Carries out an authorized data-plane call on a vault's keys and renders Key Vault's answer. */
public final class KeyOperations {

    private final Vault vault;
    private final Clock clock;

    KeyOperations(Vault vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
    }

    ObjectNode execute(DataPlaneRoute route, JsonNode body) {
        VaultKeys keys = vault.keys();
        return switch (route.action()) {
            case LIST_KEYS -> KeyBundles.page(keys.latestVersions().stream().map(v -> KeyBundles.item(vault, v, false)).toList());
            case LIST_VERSIONS -> KeyBundles.page(keys.versions(route.name()).stream()
                    .map(v -> KeyBundles.item(vault, v, true)).toList());
            case GET -> KeyBundles.keyBundle(vault, keys.get(route.name(), route.version()));
            case CREATE -> KeyBundles.keyBundle(vault, create(route.name(), body));
            case UPDATE -> KeyBundles.keyBundle(vault, update(route, body.path("attributes")));
            case DELETE -> delete(route.name());
            case WRAP, ENCRYPT -> crypt(route, body, true);
            case UNWRAP, DECRYPT -> crypt(route, body, false);
            case LIST_DELETED -> KeyBundles.page(keys.allDeleted().stream().map(d -> KeyBundles.deletedItem(vault, d)).toList());
            case GET_DELETED -> KeyBundles.deletedBundle(vault, keys.deleted(route.name()));
            case RECOVER -> KeyBundles.keyBundle(vault, keys.recover(route.name()));
            case PURGE -> purge(route.name());
        };
    }

    /** Creates a key version from a Key Vault create body ({@code kty}, {@code key_size}, {@code crv}, ...). */
    KeyVersion create(String name, JsonNode body) {
        VaultKeys.checkName(name);
        JsonNode attributes = body.path("attributes");
        List<String> ops = new ArrayList<>();
        body.path("key_ops").forEach(op -> ops.add(op.asText()));
        KeySpec spec = new KeySpec(Json.text(body, "kty"), Json.integer(body, "key_size"), Json.text(body, "crv"), ops,
                attributes.isObject() ? Json.bool(attributes, "enabled") : null,
                attributes.isObject() ? Json.instant(attributes, "nbf") : null,
                attributes.isObject() ? Json.instant(attributes, "exp") : null);
        return create(name, spec);
    }

    public KeyVersion create(String name, KeySpec spec) {
        VaultKeys.checkName(name);
        KeyMaterial material = KeyMaterial.generate(spec.kty(), spec.size(), spec.curve());
        return vault.keys().add(name, material, spec, clock.instant());
    }

    /** Applies {@code enabled}, {@code nbf}, {@code exp} present in {@code attributes}; an explicit null clears a time. */
    public KeyVersion update(DataPlaneRoute route, JsonNode attributes) {
        Instant now = clock.instant();
        return vault.keys().update(route.name(), route.version(), current -> {
            if (!attributes.isObject()) {
                return current;
            }
            Boolean enabled = Json.bool(attributes, "enabled");
            Instant nbf = attributes.has("nbf") ? Json.instant(attributes, "nbf") : current.notBefore();
            Instant exp = attributes.has("exp") ? Json.instant(attributes, "exp") : current.expires();
            return new KeyAttributes(enabled == null ? current.enabled() : enabled, nbf, exp, current.created(), now);
        });
    }

    ObjectNode delete(String name) {
        VaultSettings settings = vault.settings();
        return KeyBundles.deletedBundle(vault, vault.keys().delete(name, settings.softDelete(), settings.retentionDays(),
                clock.instant()));
    }

    ObjectNode purge(String name) {
        if (vault.settings().purgeProtection()) {
            vault.keys().deleted(name);
            throw DataPlaneErrors.purgeProtected(vault.name());
        }
        vault.keys().purge(name);
        return null;
    }

    private ObjectNode crypt(DataPlaneRoute route, JsonNode body, boolean forward) {
        KeyVersion version = vault.keys().get(route.name(), route.version());
        version.attributes().checkUsable(route.permission(), clock.instant());
        if (!version.allows(route.permission())) {
            throw DataPlaneErrors.operationNotPermitted(route.permission());
        }
        String value = Json.text(body, "value");
        if (value == null) {
            throw DataPlaneErrors.badParameter("The value is required.");
        }
        byte[] input;
        try {
            input = Json.fromBase64Url(value);
        } catch (IllegalArgumentException e) {
            throw DataPlaneErrors.badParameter("The value is not base64url: " + e.getMessage());
        }
        String alg = Json.text(body, "alg");
        byte[] output = forward ? WrapAlgorithms.wrap(version.material(), alg, input)
                : WrapAlgorithms.unwrap(version.material(), alg, input);
        return Json.object().put("kid", vault.kid(version)).put("value", Json.base64Url(output));
    }
}
