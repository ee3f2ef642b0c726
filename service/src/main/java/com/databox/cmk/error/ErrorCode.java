package com.databox.cmk.error;

/**
 * The contract's error codes (API.md, "Errors"; {@link #PayloadTooLarge} is answered there as
 * {@code InvalidRequest}, with its own status) with what the user can do about each
 * (ERRORS.md). The HTTP status of each code is decided at the HTTP edge, not here.
 * Stored rows name codes and are read back by name (an order's key health and hold, its outbox events, an audit
 * run's findings, kept {@code cmk.audit.retention}): a code is never renamed or taken out while a row may name it.
 */
public enum ErrorCode {
    InvalidRequest("Correct the request as the message says, then retry."),
    Unauthorized("Send a Microsoft Entra ID access token for this service in the Authorization header (Bearer)."),
    Forbidden("Ask an administrator to assign your identity the app role this operation needs."),
    PayloadTooLarge("Send a smaller request body."),
    OrderNotFound("Check the order name; list orders with GET /api/orders."),
    OrderAlreadyExists("Read the order and send its ETag in If-Match to replace it, or choose another name."),
    OrderInTerminalStage("The order is finished; its encryption can no longer change."),
    InvalidStageTransition("Orders only move forward, and never out of a terminal stage."),
    PreconditionFailed("Read the order again and retry with its current ETag in If-Match."),
    OrderChangedConcurrently("Other requests are changing the order right now; retry after the time given."),
    OrderNotWaitingForCustomerAction("Only an order waiting for a customer action on its key "
            + "(stageStatus WaitingForCustomerActionForKek) can be resumed; read the order to see its stage status."),
    LinkedAuthorizationFailed("Ask an administrator of the identity to grant you Managed Identity Operator (the "
            + "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action permission) on it, or use an identity "
            + "of your own tenant that you may assign."),
    AuditRunNotFound("Check the run ID; start a new audit with POST /api/audits."),
    AuditRunFailed("Start a new audit with POST /api/audits: it audits every order again. The health and findings "
            + "this run recorded stand."),
    SsemUserErrorEncryptionKeyDisabled("Enable the key version in the key vault, then retry."),
    SsemUserErrorEncryptionKeyExpired(
            "Extend the key version's expiry (or wait until it is active), or change to another key version."),
    SsemUserErrorKeyDetailsNotFound(
            "If the key was deleted and the vault has purge protection, recover it within the retention period; "
                    + "past that, restore its backup into the same vault, or restore it (or import the same key material) "
                    + "into another vault and change the order's key to that copy; without either it is gone for good. "
                    + "If the vault moved to another tenant, move it back, or set the "
                    + "order identity to None and then SystemAssigned and grant the new identity Get, WrapKey and UnwrapKey "
                    + "(a key used through a user-assigned identity: add SystemAssigned, grant it, then change the key's "
                    + "identity to SystemAssigned)."),
    SsemUserErrorKeyVaultBadRequestException(
            "Grant the selected identity the Get, WrapKey and UnwrapKey key permissions in the key vault."),
    SsemUserErrorKeyVaultDetailsNotFound(
            "Check the key vault exists. A deleted vault can be recovered only within its purge-protection period "
                    + "(past it, restore the key's backup into another vault and change the order's key to that copy); "
                    + "after a tenant move, move it back or re-create the system-assigned identity, grant it access and "
                    + "change the key's identity to it if the key used another."),
    SsemUserErrorSystemAssignedIdentityAbsent(
            "Check that the order has a system-assigned identity (identity type SystemAssigned), that the key vault's "
                    + "access policy still lists it, and that it has Get, WrapKey and UnwrapKey on the key; these "
                    + "permissions are used at order creation and at the start of Data Copy and must stay for the whole "
                    + "life of the order. After a tenant move, set the identity to None and then SystemAssigned and "
                    + "grant the new identity those permissions."),
    SsemUserErrorUserAssignedIdentityAbsent(
            "Attach the user-assigned identity to the order again, or switch the key to another identity."),
    SsemUserErrorUserAssignedLimitReached("Use fewer user-assigned identities, or detach some first."),
    SystemAssignedIdentityLimitReached("Set the identity of orders that do not need theirs, finished ones included,"
            + " to None (their system-assigned identities are deleted at once), or reach the key through a"
            + " user-assigned identity of your own; a finished order's identity counts until the identity sweep"
            + " deletes it."),
    SsemUserErrorCrossTenantIdentityAccessForbidden(
            "A managed identity is not accepted by a key vault of another tenant. Move the vault (or the identity) "
                    + "back; or, after a move of the order's subscription to the vault's tenant, set the order identity "
                    + "to None and then SystemAssigned, grant the new identity Get, WrapKey and UnwrapKey, change the "
                    + "key's identity to SystemAssigned if it used another, and validate; or reach the key across "
                    + "tenants as Azure Storage does: register a multi-tenant application in the identity's tenant, "
                    + "give it a federated identity credential that trusts the order's user-assigned identity, "
                    + "consent to it in the vault's tenant and grant its service principal Get, WrapKey and UnwrapKey "
                    + "on the key, then name the application's client ID as "
                    + "identityProperties.federatedIdentityClientId with that user-assigned identity. An order's "
                    + "system-assigned identity belongs to the tenant of the service's own subscription: from another "
                    + "tenant, reach a key of your tenant through a user-assigned identity of your tenant."),
    SsemUserErrorKekUserIdentityNotFound(
            "The user-assigned identity no longer exists; choose another one and grant it Get, WrapKey and UnwrapKey."),
    SsemUserErrorEncryptionKeyTypeNotSupported("Create an RSA key of 2048 bits or more and use it."),
    SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled("Turn on soft delete and purge protection for the key vault."),
    SsemUserErrorInvalidKeyVaultUrl(
            "Copy the key identifier from the key vault: https://{vault}.vault.azure.net/keys/{name}[/{version}]."),
    SsemUserErrorKeyVaultUrlWithInvalidScheme("Use the key's https:// URL."),
    SsemUserErrorKeyVaultUrlInvalidHost(
            "Use a key in an Azure Key Vault of the order's cloud: *.vault.azure.net (public regions), "
                    + "*.vault.usgovcloudapi.net (Azure Government regions), *.vault.azure.cn (Azure China regions). "
                    + "Managed HSM keys are not supported."),
    KeyVaultUnavailable("Key Vault is throttling or unavailable; nothing was changed. Retry after the time given."),
    StorageUnavailable(
            "The service's storage is throttling or unavailable; nothing was changed. Retry after the time given."),
    ResourceManagerUnavailable(
            "Azure Resource Manager (managed identities) is throttling or unavailable; the order was not changed. "
                    + "Retry after the time given."),
    IdentityProviderUnavailable("Microsoft Entra ID is throttling or unavailable, so your token could not be checked; "
            + "nothing was done. Retry after the time given."),
    InternalError("Retry later; if it keeps failing, contact support with the time of the request.");

    private final String resolution;

    ErrorCode(String resolution) {
        this.resolution = resolution;
    }

    public String resolution() {
        return resolution;
    }

    /** An outage of a service it depends on, not a fault of the request: retry later, nothing changed. */
    public boolean isTransient() {
        return this == KeyVaultUnavailable
                || this == StorageUnavailable
                || this == ResourceManagerUnavailable
                || this == IdentityProviderUnavailable;
    }

    /**
     * An outage or the service's own fault: no finding about the customer's key or identity, which keep the
     * health they had (validate, the audit and Data Copy answer it or try again; none records or holds on it).
     */
    public boolean saysNothingOfTheKey() {
        return isTransient() || this == InternalError;
    }
}
