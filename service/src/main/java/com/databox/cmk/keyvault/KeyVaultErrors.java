package com.databox.cmk.keyvault;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.identity.CredentialUnavailableException;
import com.databox.cmk.error.Causes;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.CrossTenantTokenRefused;
import com.databox.cmk.identity.IdentityEndpointRefusedService;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.identity.TokenServiceUnavailable;
import com.databox.cmk.sdkhttp.WaitingRequests;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;

/** The one place where Key Vault and identity failures become the contract's codes. */
final class KeyVaultErrors {
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    /** A call refused for its tenant's share of the requests waiting on Key Vault: its own calls free it. */
    static final Duration SHARE_RETRY_AFTER = Duration.ofSeconds(1);

    /** A call refused for the callers' share: other tenants' calls free it, on vaults that may be slow. */
    static final Duration CALLERS_RETRY_AFTER = Duration.ofSeconds(5);

    private static final String FEDERATION_RESOLUTION =
            "In the key vault's tenant, consent to the multi-tenant application named by federatedIdentityClientId "
                    + "(so that it has a service principal there) and grant that service principal Get, WrapKey and "
                    + "UnwrapKey on the key; in the application's own tenant, give it a federated identity credential "
                    + "that trusts the order's user-assigned identity (issuer: its tenant's token issuer, subject: its "
                    + "principal ID, audience api://AzureADTokenExchange).";

    private KeyVaultErrors() {}

    /**
     * @param key the key (version) called
     * @param identity the identity whose token was used
     * @param permission the key permission the call needs ({@code get}, {@code wrapKey}, …)
     * @param localVault the allow-list admits the key's host as a local vault ({@code VaultHostPolicy.isLocal}:
     *     the emulator's, whose vaults have no names and stop listening when deleted)
     * @param nameServers asked, only when the resolver gave up on the vault's name without saying why
     */
    static ServiceException map(
            RuntimeException failure,
            KeyUrl key,
            WrappingIdentity identity,
            String permission,
            boolean localVault,
            NameServers nameServers) {
        IdentityEndpointRefusedService serviceRefused = cause(failure, IdentityEndpointRefusedService.class);
        if (serviceRefused != null) {
            return serviceRefused(serviceRefused);
        }
        ServiceException mapped = mapped(failure, key, identity, permission, localVault, nameServers);
        if (!(identity instanceof WrappingIdentity.ServiceIdentity)) {
            return mapped;
        }
        // The Microsoft-managed key, used as the service's own identity: whatever refused it (a lost
        // permission, a disabled key, no token) is the service's to fix, not the customer's, and no order is
        // held or found without key access for it; an outage stays an outage. Its URL is not the customer's
        // to see, in either.
        if (mapped.code().saysNothingOfTheKey()) {
            return new ServiceException(
                    mapped.code(),
                    "The service's own key could not be used for a moment (" + mapped.code()
                            + "); nothing was changed.",
                    null,
                    mapped.retryAfter(),
                    failure);
        }
        return ServiceException.ownKeyUnusable(mapped.code(), failure);
    }

    private static ServiceException mapped(
            RuntimeException failure,
            KeyUrl key,
            WrappingIdentity identity,
            String permission,
            boolean localVault,
            NameServers nameServers) {
        if (failure instanceof ServiceException service) {
            return service;
        }
        String who = ManagedIdentityCredentials.describe(identity);
        CrossTenantTokenRefused refused = cause(failure, CrossTenantTokenRefused.class);
        if (refused != null) {
            return new ServiceException(
                    ErrorCode.SsemUserErrorCrossTenantIdentityAccessForbidden,
                    refused.getMessage() + " The key vault " + key.vaultUrl() + " cannot be reached as " + who + ".",
                    "identityProperties.federatedIdentityClientId",
                    null,
                    failure,
                    FEDERATION_RESOLUTION);
        }
        TokenServiceUnavailable tokenOutage = cause(failure, TokenServiceUnavailable.class);
        if (tokenOutage != null) {
            return unavailable(
                    "No Key Vault token could be obtained for " + who + ": " + tokenOutage.what(), "identity", failure);
        }
        if (isTokenFailure(failure)) {
            return identityFailed(identity, who, failure);
        }
        if (failure instanceof HttpResponseException response && response.getResponse() != null) {
            return mapResponse(response, VaultErrorBody.of(response), key, identity, who, permission);
        }
        UnknownHostException unresolved = cause(failure, UnknownHostException.class);
        if (unresolved != null && nameServerFailed(unresolved, key, nameServers)) {
            return unavailable(
                    "The name of the key vault " + key.vaultUrl()
                            + " could not be resolved: the name server failed or did not answer",
                    "kekUrl",
                    failure);
        }
        boolean connectionRefused = hasCause(failure, ConnectException.class);
        if (connectionRefused && !localVault) {
            // A vault that exists takes connections and a deleted one's name stops resolving (above):
            // a refused connection is the network's or Key Vault's outage, never a vault to report missing.
            return unavailable("The key vault " + key.vaultUrl() + " refused the connection", "kekUrl", failure);
        }
        if (unresolved != null || connectionRefused) {
            return new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultDetailsNotFound,
                    "The key vault " + key.vaultUrl() + " cannot be reached; it may not exist.",
                    "kekUrl",
                    null,
                    failure);
        }
        return unavailable("Key Vault did not answer for the key " + key, "kekUrl", failure);
    }

    /** Key Vault answered a key ID that is no key identifier (see {@code SdkKeyVaultGateway.answeredKeyUrl}). */
    static ServiceException answeredNoKeyId(String keyId, RuntimeException cause) {
        return unavailable(
                "Key Vault answered the key ID '" + keyId + "', which is no key identifier", "kekUrl", cause);
    }

    /**
     * Key Vault answered for the key {@code asked} with the ID of another key (see {@code
     * SdkKeyVaultGateway.answeredKeyUrl}). The message names only the key asked for: the one the vault named is not
     * the caller's to see (another vault's, it may be), and goes to the operators' log only, in the cause.
     */
    static ServiceException answeredAnotherKey(KeyUrl asked, KeyUrl answered) {
        return unavailable(
                "Key Vault answered for the key " + asked + " with the ID of another key",
                "kekUrl",
                new IllegalStateException("Key Vault's answer named the key " + answered));
    }

    /**
     * The identity endpoint refused the service itself, not the identity asked for (its {@code X-IDENTITY-HEADER}):
     * the service's fault, whichever identity the key is used through, so no customer code and no finding (bug bash
     * ob1 F1). The endpoint's status and words go to the operators' log with the cause, not to the caller.
     */
    private static ServiceException serviceRefused(IdentityEndpointRefusedService refused) {
        return new ServiceException(
                ErrorCode.InternalError,
                "The service could not get a Key Vault token: the platform's managed-identity endpoint refused the"
                        + " service's own credentials (HTTP " + refused.status()
                        + "), which is the service's fault; nothing was changed.",
                null,
                null,
                refused);
    }

    /** An outage to retry after {@link #DEFAULT_RETRY_AFTER}: 503, nothing changed. */
    private static ServiceException unavailable(String what, String target, RuntimeException cause) {
        return new ServiceException(
                ErrorCode.KeyVaultUnavailable, what + "; nothing was changed.", target, DEFAULT_RETRY_AFTER, cause);
    }

    /**
     * Vert.x's resolver (Netty's) gives up on a name the same way whether the name server said it
     * does not exist or failed; the cause tells them apart where there is one. A timeout, a
     * transport error or SERVFAIL is the name server's; NXDOMAIN, or an answer without addresses, is
     * the name's. A refusal (REFUSED, NOTIMP) comes without a cause, as an answer without addresses
     * does: the name server is asked once more which it was.
     */
    private static boolean nameServerFailed(UnknownHostException unresolved, KeyUrl key, NameServers nameServers) {
        if (DnsNameResolver.isTransportOrTimeoutError(unresolved)) {
            return true;
        }
        if (unresolved.getCause() instanceof DnsErrorCauseException dns) {
            return dns.getCode().intValue() != DnsResponseCode.NXDOMAIN.intValue();
        }
        return nameServers.failFor(key.host());
    }

    /**
     * A call refused by the bound on requests waiting on Key Vault, in words of the bound that was full: never the
     * key's vault, which may be healthy while other callers' requests fill the instance's (bug bash nn1 F1), and never
     * whose they are. When the callers' share refused a tenant's call, most of the requests are other callers': a
     * tenant holds less than its share then, and its share is at most half the callers'.
     *
     * @param tenantKnown the call was a request's whose caller's tenant is known
     */
    static ServiceException tooManyWaiting(KeyUrl key, WaitingRequests.Refusal refusal, boolean tenantKnown) {
        String notMade = ", so the call for the key " + key + " was not made";
        return new ServiceException(
                ErrorCode.KeyVaultUnavailable,
                refusedFor(refusal, tenantKnown) + notMade + "; nothing was changed.",
                "kekUrl",
                switch (refusal.bound()) {
                    // The tenant's own calls free its share, in milliseconds on a healthy vault: the SDKs retry a 503
                    // after its Retry-After, and a burst of one tenant's changes drains (review df3 F1; 30 s before).
                    case PARTY -> SHARE_RETRY_AFTER;
                    case CALLERS -> CALLERS_RETRY_AFTER;
                    case INSTANCE -> DEFAULT_RETRY_AFTER;
                },
                null);
    }

    private static String refusedFor(WaitingRequests.Refusal refusal, boolean tenantKnown) {
        return switch (refusal.bound()) {
            case PARTY ->
                "At least " + requests(refusal.limit()) + " of this tenant's are waiting on Key Vault on"
                        + " this instance already, the most one tenant may have while the instance is busy";
            case CALLERS ->
                "This instance has " + requests(refusal.limit()) + " waiting on Key Vault"
                        + (tenantKnown ? " already, most of them for other callers" : " for its callers already")
                        + ", the most it lets its callers have at once";
            case INSTANCE ->
                "This instance has " + requests(refusal.limit())
                        + " waiting on Key Vault already, the most it lets wait at once";
        };
    }

    private static String requests(int count) {
        return count == 1 ? "1 request" : count + " requests";
    }

    /** The request's deadline for its vault calls passed (issue #15): 503, nothing changed. */
    static ServiceException deadlinePassed(KeyUrl key, Duration deadline) {
        return unavailable(
                "Key Vault did not answer for the key " + key + " within the " + deadline.toSeconds()
                        + " s a request may spend on Key Vault",
                "kekUrl",
                null);
    }

    /**
     * No token: a user-assigned identity that is gone from the directory, or the order's
     * system-assigned identity that is missing (ERRORS.md: never the other code for either).
     */
    private static ServiceException identityFailed(WrappingIdentity identity, String who, RuntimeException failure) {
        if (identity instanceof WrappingIdentity.ManagedIdentity managed && managed.systemAssigned()) {
            return new ServiceException(
                    ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent,
                    "No token could be obtained for " + who + "; the identity may have been deleted.",
                    "identity",
                    null,
                    failure);
        }
        return new ServiceException(
                ErrorCode.SsemUserErrorKekUserIdentityNotFound,
                "No token could be obtained for " + who + "; the identity may have been deleted.",
                "identity",
                null,
                failure);
    }

    /**
     * Whether a call failed for want of a token that was refused (the identity unknown or deleted, the
     * application not trusted in the vault's tenant), not for an outage of the token service: asked again,
     * it is refused again, so the SDK's retries only made the caller wait (4 token requests over 5.6 s).
     */
    static boolean isTokenRefusal(Throwable failure) {
        if (hasCause(failure, TokenServiceUnavailable.class)) {
            return false;
        }
        return hasCause(failure, CrossTenantTokenRefused.class)
                || hasCause(failure, IdentityEndpointRefusedService.class)
                || failure instanceof RuntimeException runtime && isTokenFailure(runtime);
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
                && (authentication.getResponse() == null
                        || authentication.getResponse().getStatusCode() != 401);
    }

    private static ServiceException mapResponse(
            HttpResponseException e,
            VaultErrorBody error,
            KeyUrl key,
            WrappingIdentity identity,
            String who,
            String permission) {
        int status = error.status();
        if (status == 429 || status == 408 || status >= 500) {
            return new ServiceException(
                    ErrorCode.KeyVaultUnavailable,
                    "Key Vault is throttling or failing (HTTP " + status + ") for the key " + key
                            + " after retries; nothing was changed.",
                    "kekUrl",
                    retryAfter(e),
                    e);
        }
        if (status == 401) {
            return new ServiceException(
                    ErrorCode.SsemUserErrorCrossTenantIdentityAccessForbidden,
                    "The key vault " + key.vaultUrl() + " refused the token of " + who
                            + ": the vault belongs to another tenant than the identity.",
                    "identity",
                    null,
                    e,
                    identity instanceof WrappingIdentity.FederatedApplication ? FEDERATION_RESOLUTION : null);
        }
        if (status == 404) {
            return new ServiceException(
                    ErrorCode.SsemUserErrorKeyDetailsNotFound,
                    "The key " + key + " was not found in its key vault.",
                    "kekUrl",
                    null,
                    e);
        }
        if (status == 400) {
            // A key whose key_ops do not include the operation: Key Vault answers 400 BadParameter.
            String operation = "get".equals(permission) ? "get" : permission;
            return new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                    "The key " + key + " does not permit the " + operation + " operation (Key Vault answered "
                            + (error.code() == null ? "400" : error.code()) + ").",
                    "kekUrl",
                    null,
                    e,
                    "Allow the " + operation + " operation on the key version (its permitted operations, key_ops: "
                            + "wrapKey and unwrapKey are both needed), for example with az keyvault key set-attributes "
                            + "--ops wrapKey unwrapKey, or change to a key version that permits them.");
        }
        if (status == 403) {
            return switch (error.kind()) {
                case KeyDisabled ->
                    new ServiceException(
                            ErrorCode.SsemUserErrorEncryptionKeyDisabled,
                            "The key " + key + " is disabled.",
                            "kekUrl",
                            null,
                            e);
                case KeyExpired ->
                    new ServiceException(
                            ErrorCode.SsemUserErrorEncryptionKeyExpired,
                            "The key " + key + " is expired or not yet valid.",
                            "kekUrl",
                            null,
                            e);
                case ForbiddenByFirewall ->
                    new ServiceException(
                            ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                            "The firewall of the key vault " + key.vaultUrl() + " refused the call of " + who + ".",
                            "kekUrl",
                            null,
                            e,
                            FIREWALL_RESOLUTION);
                case ForbiddenByRbac ->
                    new ServiceException(
                            ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                            capitalized(who) + " lacks the " + permission + " permission on the key " + key
                                    + " (the vault uses Azure role-based access control).",
                            "identityProperties",
                            null,
                            e,
                            RBAC_RESOLUTION);
                case AccessDenied, ForbiddenByPolicy, KeyNotFound, BadParameter, Unauthorized, Throttled, Other ->
                    new ServiceException(
                            ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                            capitalized(who) + " lacks the " + permission + " permission on the key " + key + ".",
                            "identityProperties",
                            null,
                            e);
            };
        }
        if (status >= 300 && status < 400) {
            // Key Vault never redirects these calls, and the service follows no redirect (it would leave the
            // allow-list): the host the key URL names is no key vault the service can use.
            return new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                    "The host of the key " + key + " answered a redirect (HTTP " + status
                            + "), which Key Vault never does; the service follows no redirect.",
                    "kekUrl",
                    null,
                    e,
                    "Name the key by its key identifier (kid) in its key vault, as the vault shows it "
                            + "(https://{vault-name}.vault.azure.net/keys/{key-name}/{version}).");
        }
        return new ServiceException(
                ErrorCode.InternalError,
                "Key Vault answered HTTP " + status + " for the key " + key + ".",
                "kekUrl",
                null,
                e);
    }

    /**
     * Data Box's own identity is a trusted Microsoft service behind a vault's firewall; the identities this service
     * uses are not, whichever the order chose, so the firewall must let the app itself through.
     */
    static final String FIREWALL_RESOLUTION =
            "Let the service through the key vault's firewall: allow the function app's outbound IP addresses, "
                    + "or reach the vault through a private endpoint in the app's virtual network. The service's "
                    + "identities are not a trusted Microsoft service that the firewall's exception lets through.";

    /** A vault on Azure RBAC has no access policies: the permissions come from a role assignment. */
    static final String RBAC_RESOLUTION =
            "The key vault uses Azure role-based access control: assign the selected identity (its principal ID "
                    + "is in the order's identity; for a key reached through federatedIdentityClientId, that "
                    + "application's service principal in the vault's tenant) the Key Vault Crypto Service "
                    + "Encryption User role on the key or the vault, which allows Get, WrapKey and UnwrapKey.";

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The most a throttled vault's wait is passed on to the caller as its own {@code Retry-After}. */
    static final Duration MAX_ANSWERED_RETRY_AFTER = Duration.ofMinutes(5);

    /** What the vault asked for, before the SDK's wait was capped ({@link CappedRetryAfterPolicy}), at most 5 min. */
    private static Duration retryAfter(HttpResponseException e) {
        String asked = e.getResponse().getHeaderValue(CappedRetryAfterPolicy.ASKED_RETRY_AFTER);
        String header = asked != null ? asked : e.getResponse().getHeaderValue(HttpHeaderName.RETRY_AFTER);
        try {
            Duration retryAfter =
                    header == null ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(header.trim()));
            return retryAfter.compareTo(MAX_ANSWERED_RETRY_AFTER) > 0 ? MAX_ANSWERED_RETRY_AFTER : retryAfter;
        } catch (NumberFormatException notSeconds) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        return cause(failure, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        return Causes.find(failure, type).orElse(null);
    }
}
