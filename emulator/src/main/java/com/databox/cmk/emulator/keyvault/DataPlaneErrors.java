package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The errors a vault answers, with Key Vault's status codes, {@code error.code} and
 * {@code innererror.code} values and message wording.
 */
public final class DataPlaneErrors {

    static final String LOCATION = "local";
    private static final String HELP =
            "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287";

    private DataPlaneErrors() {}

    static String challenge(String tenantId) {
        return "Bearer authorization=\"https://login.microsoftonline.com/" + tenantId
                + "\", resource=\"https://vault.azure.net\"";
    }

    static KeyVaultException missingToken(String tenantId) {
        return unauthorized(tenantId, "AKV10000: Request is missing a Bearer or PoP token.");
    }

    static KeyVaultException invalidToken(String tenantId, String reason) {
        return unauthorized(tenantId, reason);
    }

    static KeyVaultException wrongTenant(String vaultTenant, String tokenTenant) {
        return unauthorized(
                vaultTenant,
                "AKV10032: Invalid issuer. Expected one of https://sts.windows.net/" + vaultTenant
                        + "/, https://login.microsoftonline.com/" + vaultTenant
                        + "/v2.0, found https://sts.windows.net/"
                        + tokenTenant + "/.");
    }

    private static KeyVaultException unauthorized(String tenantId, String message) {
        return new KeyVaultException(
                401, "Unauthorized", message, null, Map.of("WWW-Authenticate", challenge(tenantId)));
    }

    static KeyVaultException accessDenied(Caller caller, String permission, String vault) {
        return forbidden(
                "The user, group or application '" + caller.describe() + "' does not have keys " + permission
                        + " permission on key vault '" + vault + ";location=" + LOCATION + "'. " + HELP,
                "AccessDenied");
    }

    static KeyVaultException firewall(Caller caller, String vault) {
        return forbidden(
                "Client address is not authorized and caller is not a trusted service.\r\nClient address: 127.0.0.1\r\nCaller: "
                        + caller.describe() + "\r\nVault: " + vault + ";location=" + LOCATION,
                "ForbiddenByFirewall");
    }

    static KeyVaultException keyDisabled(String operation) {
        return forbidden("Operation " + operation + " is not allowed on a disabled key.", "KeyDisabled");
    }

    static KeyVaultException keyExpired(String operation) {
        return forbidden("Operation " + operation + " is not allowed on an expired key.", "KeyExpired");
    }

    static KeyVaultException keyNotYetValid(String operation) {
        // Key Vault refuses a key before its nbf like an expired one; the spec keeps the KeyExpired inner code.
        return forbidden(
                "Operation " + operation + " is not allowed on a key that is not yet valid (nbf).", "KeyExpired");
    }

    public static KeyVaultException purgeProtected(String vault) {
        return forbidden(
                "Operation \"purge\" is not allowed because purge protection is enabled for this vault. Key Vault service will"
                        + " automatically purge it after the retention period has passed.\r\nVault: " + vault
                        + ";location=" + LOCATION,
                "ForbiddenByPolicy");
    }

    static KeyVaultException operationNotPermitted(String operation) {
        return badParameter("Operation " + operation + " is not permitted on this key.");
    }

    private static KeyVaultException forbidden(String message, String innerCode) {
        return new KeyVaultException(403, "Forbidden", message, innerCode, Map.of());
    }

    public static KeyVaultException keyNotFound(String name, String version) {
        String id = version == null || version.isEmpty() ? name : name + "/" + version;
        return new KeyVaultException(
                404,
                "KeyNotFound",
                "A key with (name/id) " + id
                        + " was not found in this key vault. If you recently deleted this key you may be able"
                        + " to recover it using the correct recovery command. For help resolving this issue, please see"
                        + " https://go.microsoft.com/fwlink/?linkid=2125182",
                null,
                Map.of());
    }

    static KeyVaultException deletedKeyNotFound(String name) {
        return new KeyVaultException(404, "KeyNotFound", "Deleted Key not found: " + name, null, Map.of());
    }

    static KeyVaultException keyIsDeleted(String name) {
        return new KeyVaultException(
                409,
                "Conflict",
                "Key " + name + " is currently in a deleted but recoverable state, and its"
                        + " name cannot be reused; in this state, the key can only be recovered or purged.",
                "ObjectIsDeletedButRecoverable",
                Map.of());
    }

    static KeyVaultException keyAlreadyExists(String name) {
        return new KeyVaultException(
                409,
                "Conflict",
                "There was a conflict restoring the key '" + name + "': a key with this"
                        + " name already exists in this vault. Restore it under its name only after deleting and purging the existing key.",
                null,
                Map.of());
    }

    /** An operation a key vault does not offer (a Managed HSM does): Key Vault answers 400, never "not found". */
    static KeyVaultException notSupportedByVault(String operation) {
        return badParameter(
                "Operation " + operation + " is not supported by a key vault; it is available in a Managed HSM only.");
    }

    static KeyVaultException invalidBackup(String reason) {
        return badParameter("The backup blob is invalid or was made by another Key Vault instance: " + reason);
    }

    static KeyVaultException badParameter(String message) {
        return new KeyVaultException(400, "BadParameter", message, null, Map.of());
    }

    static KeyVaultException missingApiVersion() {
        return badParameter("The request is missing the required 'api-version' query parameter.");
    }

    static KeyVaultException unsupportedApiVersion(String version) {
        return badParameter("The specified version (" + version
                + ") is not recognized. Consider using the latest supported" + " version (2025-07-01).");
    }

    static KeyVaultException notFound(String path) {
        return new KeyVaultException(404, "NotFound", "No route for " + path, null, Map.of());
    }

    static KeyVaultException throttled(int retryAfterSeconds) {
        return new KeyVaultException(
                429,
                "Throttled",
                "Request was not processed because too many requests were received."
                        + " Reason: VaultRequestTypeLimitReached",
                null,
                retryAfter(retryAfterSeconds));
    }

    static KeyVaultException unavailable(int retryAfterSeconds) {
        return new KeyVaultException(
                503,
                "ServiceUnavailable",
                "The service is temporarily unavailable.",
                null,
                retryAfter(retryAfterSeconds));
    }

    static KeyVaultException status(int status, int retryAfterSeconds) {
        return switch (status) {
            case 429 -> throttled(retryAfterSeconds);
            case 503 -> unavailable(retryAfterSeconds);
            default ->
                new KeyVaultException(
                        status,
                        status >= 500 ? "InternalServerError" : "BadRequest",
                        "Injected fault " + status + ".",
                        null,
                        retryAfter(retryAfterSeconds));
        };
    }

    private static Map<String, String> retryAfter(int seconds) {
        return seconds > 0 ? Map.of("Retry-After", Integer.toString(seconds)) : Map.of();
    }

    public static ObjectNode body(KeyVaultException e) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (e.innerCode() != null) {
            error.putObject("innererror").put("code", e.innerCode());
        }
        return root;
    }
}
