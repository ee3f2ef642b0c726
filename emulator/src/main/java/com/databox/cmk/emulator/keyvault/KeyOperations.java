package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Carries out an authorized data-plane call on a vault's keys and renders Key Vault's answer. */
public final class KeyOperations {

    private final Vault vault;
    private final Clock clock;
    private final KeyBackups backups;

    KeyOperations(Vault vault, Clock clock, KeyBackups backups) {
        this.vault = vault;
        this.clock = clock;
        this.backups = backups;
    }

    /**
     * {@code query} carries {@code maxresults} and {@code $skiptoken} for the lists; {@code requestUrl} (without
     * query) is where a list's {@code nextLink} points.
     */
    ObjectNode execute(DataPlaneRoute route, JsonNode body, Map<String, String> query, String requestUrl) {
        VaultKeys keys = vault.keys();
        return switch (route.action()) {
            case LIST_KEYS ->
                Pages.page(
                        keys.latestVersions().stream()
                                .map(v -> KeyBundles.item(vault, v, false))
                                .toList(),
                        query,
                        requestUrl);
            case LIST_VERSIONS ->
                Pages.page(
                        keys.versions(route.name()).stream()
                                .map(v -> KeyBundles.item(vault, v, true))
                                .toList(),
                        query,
                        requestUrl);
            case GET -> KeyBundles.keyBundle(vault, keys.get(route.name(), route.version()));
            case CREATE -> KeyBundles.keyBundle(vault, create(route.name(), body));
            case IMPORT -> KeyBundles.keyBundle(vault, importKey(route.name(), body));
            case UPDATE -> KeyBundles.keyBundle(vault, update(route.name(), route.version(), body));
            case DELETE -> delete(route.name());
            case WRAP, ENCRYPT -> crypt(route, body, true);
            case UNWRAP, DECRYPT -> crypt(route, body, false);
            case SIGN -> sign(route, body);
            case VERIFY -> verify(route, body);
            case ROTATE -> KeyBundles.keyBundle(vault, rotate(route.name()));
            case GET_ROTATION_POLICY -> policy(route.name(), keys.rotationPolicy(route.name()));
            case PUT_ROTATION_POLICY ->
                policy(
                        route.name(),
                        keys.putRotationPolicy(
                                route.name(), current -> RotationPolicy.parse(body, current, clock.instant())));
            case BACKUP ->
                Json.object()
                        .put(
                                "value",
                                Json.base64Url(backups.backup(
                                        keys.versions(
                                                keys.get(route.name(), null).name()),
                                        keys.rotationPolicy(route.name()))));
            case RESTORE -> KeyBundles.keyBundle(vault, restore(body));
            case RANDOM_BYTES -> throw DataPlaneErrors.notSupportedByVault("getRandomBytes");
            case RELEASE ->
                throw DataPlaneErrors.badParameter("Key " + route.name() + " is not exportable and has no release"
                        + " policy; the emulator does not release keys.");
            case LIST_DELETED ->
                Pages.page(
                        keys.allDeleted().stream()
                                .map(d -> KeyBundles.deletedItem(vault, d))
                                .toList(),
                        query,
                        requestUrl);
            case GET_DELETED -> KeyBundles.deletedBundle(vault, keys.deleted(route.name()));
            case RECOVER -> KeyBundles.keyBundle(vault, keys.recover(route.name()));
            case PURGE -> purge(route.name());
        };
    }

    /** Creates a key version from a Key Vault create body ({@code kty}, {@code key_size}, {@code crv}, ...). */
    KeyVersion create(String name, JsonNode body) {
        VaultKeys.checkName(name);
        JsonNode attributes = body.path("attributes");
        KeySpec spec = new KeySpec(
                Json.text(body, "kty"),
                Json.integer(body, "key_size"),
                Json.text(body, "crv"),
                keyOps(body),
                tags(body),
                attributes.isObject() ? Json.bool(attributes, "enabled") : null,
                attributes.isObject() ? Json.instant(attributes, "nbf") : null,
                attributes.isObject() ? Json.instant(attributes, "exp") : null,
                true);
        return create(name, spec);
    }

    /** Creates a key version; a {@link KeySpec#checked() checked} spec must fit Key Vault's rules for this vault's SKU. */
    public KeyVersion create(String name, KeySpec spec) {
        VaultKeys.checkName(name);
        if (spec.checked()) {
            KeyMaterial.checkAllowed(
                    spec.kty(), spec.size(), spec.curve(), vault.settings().sku());
        }
        KeyMaterial material = KeyMaterial.generate(spec.kty(), spec.size(), spec.curve());
        return vault.keys().add(name, material, spec, clock.instant());
    }

    /** {@code PUT /keys/{name}}: a new version from a JSON Web Key with its private part. */
    private KeyVersion importKey(String name, JsonNode body) {
        VaultKeys.checkName(name);
        JsonNode jwk = body.path("key");
        if (!jwk.isObject()) {
            throw DataPlaneErrors.badParameter("The key (JSON Web Key) to import is required.");
        }
        Boolean hsm = Json.bool(body, "hsm");
        KeyMaterial material = KeyMaterial.fromJwk(jwk, hsm != null && hsm);
        KeyMaterial.checkAllowed(
                material.kty(),
                material.isRsa() ? material.size() : null,
                material.curve(),
                vault.settings().sku());
        List<String> ops = checkedOps(jwk.path("key_ops"));
        JsonNode attributes = body.path("attributes");
        KeySpec spec = new KeySpec(
                material.kty(),
                material.size(),
                material.curve(),
                ops,
                tags(body),
                attributes.isObject() ? Json.bool(attributes, "enabled") : null,
                attributes.isObject() ? Json.instant(attributes, "nbf") : null,
                attributes.isObject() ? Json.instant(attributes, "exp") : null,
                true);
        return vault.keys().add(name, material, spec, clock.instant());
    }

    /**
     * Applies what the body carries: {@code attributes} ({@code enabled}, {@code nbf}, {@code exp}; an explicit null
     * clears a time), {@code key_ops} (replaced when not empty) and {@code tags} (replaced when present).
     */
    KeyVersion update(String name, String version, JsonNode body) {
        Instant now = clock.instant();
        JsonNode attributes = body.path("attributes");
        // The Java SDK sends "key_ops": [] when the caller names no operations; Key Vault keeps them then.
        List<String> ops =
                body.path("key_ops").isArray() && !body.path("key_ops").isEmpty() ? keyOps(body) : null;
        Map<String, String> tags = body.has("tags") && body.get("tags").isObject() ? tags(body) : null;
        return vault.keys().update(name, version, current -> {
            KeyVersion changed = current;
            if (attributes.isObject()) {
                KeyAttributes old = current.attributes();
                Boolean enabled = Json.bool(attributes, "enabled");
                Instant nbf = attributes.has("nbf") ? Json.instant(attributes, "nbf") : old.notBefore();
                Instant exp = attributes.has("exp") ? Json.instant(attributes, "exp") : old.expires();
                changed = changed.withAttributes(
                        new KeyAttributes(enabled == null ? old.enabled() : enabled, nbf, exp, old.created(), now));
            } else {
                changed = changed.withAttributes(new KeyAttributes(
                        current.attributes().enabled(),
                        current.attributes().notBefore(),
                        current.attributes().expires(),
                        current.attributes().created(),
                        now));
            }
            if (ops != null) {
                changed = changed.withKeyOps(ops);
            }
            if (tags != null) {
                changed = changed.withTags(tags);
            }
            return changed;
        });
    }

    /** The admin API's change of a version's permitted operations (key_ops). */
    public KeyVersion updateKeyOps(String name, String version, List<String> ops) {
        return update(name, version, Json.object().set("key_ops", Json.MAPPER.valueToTree(ops)));
    }

    /** The admin API's attribute change (no key_ops, no tags). */
    public KeyVersion updateAttributes(String name, String version, JsonNode attributes) {
        return update(name, version, Json.object().set("attributes", attributes));
    }

    /**
     * A new version with the latest version's type, size or curve, operations and tags; its expiry is the
     * rotation policy's {@code expiryTime} from now, when the policy has one.
     */
    private KeyVersion rotate(String name) {
        KeyVersion latest = vault.keys().get(name, null);
        RotationPolicy policy = vault.keys().rotationPolicy(name);
        Instant now = clock.instant();
        Instant expires = policy == null || policy.expiryTime() == null
                ? null
                : now.plus(RotationPolicy.duration(policy.expiryTime()));
        KeyMaterial material = latest.material();
        KeySpec spec = new KeySpec(
                material.kty(),
                material.isRsa() || material.isOct() ? material.size() : null,
                material.curve(),
                latest.keyOps(),
                latest.tags(),
                true,
                null,
                expires,
                false);
        return vault.keys().add(latest.name(), KeyMaterial.generate(spec.kty(), spec.size(), spec.curve()), spec, now);
    }

    private ObjectNode policy(String name, RotationPolicy policy) {
        String id = vault.vaultUrl() + "/keys/" + vault.keys().get(name, null).name() + "/rotationpolicy";
        return (policy == null ? RotationPolicy.DEFAULT : policy).json(id);
    }

    private KeyVersion restore(JsonNode body) {
        String value = Json.text(body, "value");
        if (value == null) {
            throw DataPlaneErrors.badParameter("The backup blob (value) is required.");
        }
        byte[] blob;
        try {
            blob = Json.fromBase64Url(value);
        } catch (IllegalArgumentException e) {
            throw DataPlaneErrors.invalidBackup("not base64url");
        }
        KeyBackups.Restored restored = backups.restore(blob, clock.instant());
        return vault.keys().restore(restored.name(), restored.versions(), restored.policy());
    }

    ObjectNode delete(String name) {
        VaultSettings settings = vault.settings();
        return KeyBundles.deletedBundle(
                vault, vault.keys().delete(name, settings.softDelete(), settings.retentionDays(), clock.instant()));
    }

    ObjectNode purge(String name) {
        if (vault.settings().purgeProtection()) {
            vault.keys().deleted(name);
            throw DataPlaneErrors.purgeProtected(vault.name());
        }
        vault.keys().purge(name);
        return null;
    }

    /** The version an operation may use now: enabled, permitted by its key_ops, inside its validity window if it must be. */
    private KeyVersion usable(DataPlaneRoute route) {
        KeyVersion version = vault.keys().get(route.name(), route.version());
        version.attributes().checkUsable(route.permission(), clock.instant());
        if (!version.allows(route.permission())) {
            throw DataPlaneErrors.operationNotPermitted(route.permission());
        }
        return version;
    }

    private ObjectNode crypt(DataPlaneRoute route, JsonNode body, boolean forward) {
        KeyVersion version = usable(route);
        byte[] input = base64Member(body, "value");
        String alg = Json.text(body, "alg");
        byte[] output = forward
                ? WrapAlgorithms.wrap(version.material(), alg, input)
                : WrapAlgorithms.unwrap(version.material(), alg, input);
        return Json.object().put("kid", vault.kid(version)).put("value", Json.base64Url(output));
    }

    private ObjectNode sign(DataPlaneRoute route, JsonNode body) {
        KeyVersion version = usable(route);
        byte[] signature = SignAlgorithms.sign(version.material(), Json.text(body, "alg"), base64Member(body, "value"));
        return Json.object().put("kid", vault.kid(version)).put("value", Json.base64Url(signature));
    }

    private ObjectNode verify(DataPlaneRoute route, JsonNode body) {
        KeyVersion version = usable(route);
        boolean valid = SignAlgorithms.verify(
                version.material(), Json.text(body, "alg"), base64Member(body, "digest"), base64Member(body, "value"));
        return Json.object().put("value", valid);
    }

    private static byte[] base64Member(JsonNode body, String member) {
        String value = Json.text(body, member);
        if (value == null) {
            throw DataPlaneErrors.badParameter("The " + member + " is required.");
        }
        try {
            return Json.fromBase64Url(value);
        } catch (IllegalArgumentException e) {
            throw DataPlaneErrors.badParameter("The " + member + " is not base64url: " + e.getMessage());
        }
    }

    private static List<String> keyOps(JsonNode body) {
        return checkedOps(body.path("key_ops"));
    }

    /** Key Vault's JsonWebKeyOperation values; another is refused, never stored to refuse every later call. */
    private static final List<String> OPERATIONS =
            List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "import", "export");

    private static List<String> checkedOps(JsonNode keyOps) {
        List<String> ops = new ArrayList<>();
        keyOps.forEach(op -> {
            if (!op.isTextual() || OPERATIONS.stream().noneMatch(known -> known.equalsIgnoreCase(op.asText()))) {
                throw DataPlaneErrors.badParameter(
                        "Invalid key operation '" + op.asText() + "': one of " + String.join(", ", OPERATIONS) + ".");
            }
            ops.add(op.asText());
        });
        return ops;
    }

    private static Map<String, String> tags(JsonNode body) {
        Map<String, String> tags = new LinkedHashMap<>();
        body.path("tags")
                .properties()
                .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        return tags;
    }
}
