package com.databox.cmk.emulator.keyvault;

import java.util.List;
import java.util.Locale;

/**
 * A data-plane call: what it does, the key permission it needs (null: none, the call is refused anyway), and
 * the key it names.
 */
public record DataPlaneRoute(Action action, String permission, String name, String version) {

    public enum Action {
        LIST_KEYS,
        GET,
        LIST_VERSIONS,
        CREATE,
        IMPORT,
        UPDATE,
        DELETE,
        WRAP,
        UNWRAP,
        ENCRYPT,
        DECRYPT,
        SIGN,
        VERIFY,
        ROTATE,
        GET_ROTATION_POLICY,
        PUT_ROTATION_POLICY,
        BACKUP,
        RESTORE,
        RANDOM_BYTES,
        RELEASE,
        LIST_DELETED,
        GET_DELETED,
        RECOVER,
        PURGE
    }

    /** Maps method and path segments to a route, or throws Key Vault's 404. */
    static DataPlaneRoute parse(String method, List<String> path, String rawPath) {
        int size = path.size();
        if (size >= 1 && path.getFirst().equals("keys")) {
            DataPlaneRoute route = keys(method, path, size);
            if (route != null) {
                return route;
            }
        } else if (size >= 1 && path.getFirst().equals("deletedkeys")) {
            DataPlaneRoute route = deletedKeys(method, path, size);
            if (route != null) {
                return route;
            }
        } else if (size == 1 && path.getFirst().equals("rng") && method.equals("POST")) {
            return new DataPlaneRoute(Action.RANDOM_BYTES, null, null, null);
        }
        throw DataPlaneErrors.notFound(method + " " + rawPath);
    }

    private static DataPlaneRoute keys(String method, List<String> path, int size) {
        if (size == 1) {
            return method.equals("GET") ? new DataPlaneRoute(Action.LIST_KEYS, "list", null, null) : null;
        }
        String name = path.get(1);
        if (size == 2) {
            return switch (method) {
                case "GET" -> new DataPlaneRoute(Action.GET, "get", name, null);
                case "PATCH" -> new DataPlaneRoute(Action.UPDATE, "update", name, null);
                case "DELETE" -> new DataPlaneRoute(Action.DELETE, "delete", name, null);
                case "PUT" -> new DataPlaneRoute(Action.IMPORT, "import", name, null);
                // POST /keys/restore: "restore" is no valid name for a call of its own.
                case "POST" ->
                    name.equalsIgnoreCase("restore") ? new DataPlaneRoute(Action.RESTORE, "restore", null, null) : null;
                default -> null;
            };
        }
        String third = path.get(2);
        if (size == 3) {
            DataPlaneRoute operation = operation(method, name, null, third);
            if (operation != null) {
                return operation;
            }
            String verb = third.toLowerCase(Locale.ROOT);
            if (method.equals("GET") && verb.equals("versions")) {
                return new DataPlaneRoute(Action.LIST_VERSIONS, "list", name, null);
            }
            // Before the version routes below: "rotationpolicy" is no key version.
            if (verb.equals("rotationpolicy")) {
                return switch (method) {
                    case "GET" -> new DataPlaneRoute(Action.GET_ROTATION_POLICY, "getrotationpolicy", name, null);
                    case "PUT" -> new DataPlaneRoute(Action.PUT_ROTATION_POLICY, "setrotationpolicy", name, null);
                    default -> null;
                };
            }
            if (method.equals("POST")) {
                return switch (verb) {
                    case "create" -> new DataPlaneRoute(Action.CREATE, "create", name, null);
                    case "rotate" -> new DataPlaneRoute(Action.ROTATE, "rotate", name, null);
                    case "backup" -> new DataPlaneRoute(Action.BACKUP, "backup", name, null);
                    default -> null;
                };
            }
            return switch (method) {
                case "GET" -> new DataPlaneRoute(Action.GET, "get", name, third);
                case "PATCH" -> new DataPlaneRoute(Action.UPDATE, "update", name, third);
                default -> null;
            };
        }
        return size == 4 ? operation(method, name, third, path.get(3)) : null;
    }

    private static DataPlaneRoute operation(String method, String name, String version, String verb) {
        if (!method.equals("POST")) {
            return null;
        }
        return switch (verb.toLowerCase(Locale.ROOT)) {
            case "wrapkey" -> new DataPlaneRoute(Action.WRAP, "wrapKey", name, version);
            case "unwrapkey" -> new DataPlaneRoute(Action.UNWRAP, "unwrapKey", name, version);
            case "encrypt" -> new DataPlaneRoute(Action.ENCRYPT, "encrypt", name, version);
            case "decrypt" -> new DataPlaneRoute(Action.DECRYPT, "decrypt", name, version);
            case "sign" -> new DataPlaneRoute(Action.SIGN, "sign", name, version);
            case "verify" -> new DataPlaneRoute(Action.VERIFY, "verify", name, version);
            case "release" -> new DataPlaneRoute(Action.RELEASE, "release", name, version);
            default -> null;
        };
    }

    private static DataPlaneRoute deletedKeys(String method, List<String> path, int size) {
        if (size == 1) {
            return method.equals("GET") ? new DataPlaneRoute(Action.LIST_DELETED, "list", null, null) : null;
        }
        String name = path.get(1);
        if (size == 2) {
            return switch (method) {
                case "GET" -> new DataPlaneRoute(Action.GET_DELETED, "get", name, null);
                case "DELETE" -> new DataPlaneRoute(Action.PURGE, "purge", name, null);
                default -> null;
            };
        }
        if (size == 3 && method.equals("POST") && path.get(2).equals("recover")) {
            return new DataPlaneRoute(Action.RECOVER, "recover", name, null);
        }
        return null;
    }
}
