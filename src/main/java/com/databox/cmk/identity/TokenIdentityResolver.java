package com.databox.cmk.identity;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.databox.cmk.encryption.WrappingIdentity;
import com.databox.cmk.order.UserAssignedIdentity;
import java.util.Optional;

/**
 * Resolves a user-assigned identity's principal, client and tenant ids the way the service
 * will use it: by asking the identity endpoint for a Key Vault token as that identity. An
 * identity the endpoint does not know (never attached, or deleted) resolves to nothing.
 */
public final class TokenIdentityResolver {
    private static final TokenRequestContext KEY_VAULT = new TokenRequestContext().addScopes("https://vault.azure.net/.default");

    private final ManagedIdentityCredentials credentials;

    public TokenIdentityResolver(ManagedIdentityCredentials credentials) {
        this.credentials = credentials;
    }

    public Optional<UserAssignedIdentity> resolve(String resourceId) {
        try {
            String token = credentials.credential(new WrappingIdentity.ManagedIdentity(resourceId))
                    .getTokenSync(KEY_VAULT).getToken();
            TokenClaims claims = TokenClaims.of(token);
            return Optional.of(new UserAssignedIdentity(resourceId, claims.objectId(), claims.appId(), claims.tenantId()));
        } catch (ClientAuthenticationException notFound) {
            return Optional.empty();
        }
    }
}
