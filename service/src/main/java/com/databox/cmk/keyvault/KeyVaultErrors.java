package com.databox.cmk.keyvault;

import com.databox.cmk.encryption.KeyUrl;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.identity.CredentialUnavailableException;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/** The one place where Key Vault and identity failures become the contract's codes. */
final class KeyVaultErrors {
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    private KeyVaultErrors() {
    }

    /**
     * @param key the key (version) called
     * @param who the identity, as the user knows it
     * @param permission the key permission the call needs ({@code get}, {@code wrapKey}, …)
     */
    static ServiceException map(RuntimeException failure, KeyUrl key, String who, String permission) {
        if (failure instanceof ServiceException service) {
            return service;
        }
        if (isTokenFailure(failure)) {
            return new ServiceException(ErrorCode.SsemUserErrorKekUserIdentityNotFound,
                    "No token could be obtained for " + who + "; the identity may have been deleted.", "identity",
                    null, failure);
        }
        if (failure instanceof HttpResponseException response && response.getResponse() != null) {
            return mapResponse(response, key, who, permission);
        }
        if (hasCause(failure, UnknownHostException.class) || hasCause(failure, ConnectException.class)) {
            return new ServiceException(ErrorCode.SsemUserErrorKeyVaultDetailsNotFound,
                    "The key vault " + key.vaultUrl() + " cannot be reached; it may not exist.", "kekUrl", null, failure);
        }
        return new ServiceException(ErrorCode.KeyVaultUnavailable,
                "Key Vault did not answer for the key " + key + "; nothing was changed.", "kekUrl",
                DEFAULT_RETRY_AFTER, failure);
    }

    /**
     * No token from the identity endpoint (the identity is unknown or deleted). A 401 from the
     * vault is a ClientAuthenticationException too, but it carries the vault's response.
     */
    private static boolean isTokenFailure(RuntimeException failure) {
        if (failure instanceof CredentialUnavailableException) {
            return true;
        }
        return failure instanceof ClientAuthenticationException authentication
                && (authentication.getResponse() == null || authentication.getResponse().getStatusCode() != 401);
    }

    private static ServiceException mapResponse(HttpResponseException e, KeyUrl key, String who, String permission) {
        int status = e.getResponse().getStatusCode();
        // The SDK has read the body already; its message and error value carry Key Vault's codes.
        String lower = (e.getMessage() + " " + e.getValue()).toLowerCase(Locale.ROOT);
        if (status == 429 || status >= 500) {
            return new ServiceException(ErrorCode.KeyVaultUnavailable,
                    "Key Vault is throttling or failing (HTTP " + status + ") for the key " + key
                            + " after retries; nothing was changed.", "kekUrl", retryAfter(e), e);
        }
        if (status == 401) {
            return new ServiceException(ErrorCode.SsemUserErrorCrossTenantIdentityAccessForbidden,
                    "The key vault " + key.vaultUrl() + " refused the token of " + who
                            + ": the vault belongs to another tenant than the identity.", "identity", null, e);
        }
        if (status == 404) {
            return new ServiceException(ErrorCode.SsemUserErrorKeyDetailsNotFound,
                    "The key " + key + " was not found in its key vault.", "kekUrl", null, e);
        }
        if (status == 403 && lower.contains("keydisabled")) {
            return new ServiceException(ErrorCode.SsemUserErrorEncryptionKeyDisabled,
                    "The key " + key + " is disabled.", "kekUrl", null, e);
        }
        if (status == 403 && lower.contains("keyexpired")) {
            return new ServiceException(ErrorCode.SsemUserErrorEncryptionKeyExpired,
                    "The key " + key + " is expired or not yet valid.", "kekUrl", null, e);
        }
        if (status == 403 && lower.contains("forbiddenbyfirewall")) {
            return new ServiceException(ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                    "The firewall of the key vault " + key.vaultUrl() + " refused the call of " + who + ".", "kekUrl",
                    null, e);
        }
        if (status == 403) {
            return new ServiceException(ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                    capitalized(who) + " lacks the " + permission + " permission on the key " + key + ".", "identityProperties",
                    null, e);
        }
        return new ServiceException(ErrorCode.InternalError,
                "Key Vault answered HTTP " + status + " for the key " + key + ".", "kekUrl", null, e);
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static Duration retryAfter(HttpResponseException e) {
        String header = e.getResponse().getHeaderValue("Retry-After");
        try {
            return header == null ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException notSeconds) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
