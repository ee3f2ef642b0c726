package com.databox.cmk.identity;

/**
 * Entra ID refused to exchange a managed identity's token for a multi-tenant application's token in
 * the key vault's tenant: the application has no service principal there (not consented), or none of
 * its federated identity credentials trusts the identity. The identity itself did get its token.
 */
public final class CrossTenantTokenRefused extends RuntimeException {
    private final String tenantId;

    CrossTenantTokenRefused(String message, String tenantId, Throwable cause) {
        super(message, cause);
        this.tenantId = tenantId;
    }

    /** The vault's tenant the token was asked in; null when the vault named none. */
    public String tenantId() {
        return tenantId;
    }
}
