package com.databox.cmk.keyvault;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The credential Key Vault clients get: it hands out tokens for Key Vault's own audiences only. A
 * vault's 401 challenge names the resource to ask a token for; where the challenge's resource is
 * not verified (the local emulator), a host posing as a vault could otherwise ask for a
 * management-scope token (issue 12). Anything but a Key Vault scope is refused before a token is
 * requested.
 */
final class VaultScopeOnlyCredential implements TokenCredential {
    static final Set<String> VAULT_SCOPES = Set.of(
            "https://vault.azure.net/.default",
            "https://vault.usgovcloudapi.net/.default",
            "https://vault.azure.cn/.default",
            "https://managedhsm.azure.net/.default");

    private final TokenCredential credential;

    VaultScopeOnlyCredential(TokenCredential credential) {
        this.credential = credential;
    }

    static boolean isVaultScope(List<String> scopes) {
        return scopes != null
                && scopes.size() == 1
                && scopes.getFirst() != null
                && VAULT_SCOPES.contains(scopes.getFirst().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        if (!isVaultScope(request.getScopes())) {
            return Mono.error(
                    new IllegalStateException("A Key Vault client asked for a token outside Key Vault's scopes"));
        }
        return credential.getToken(request);
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        if (!isVaultScope(request.getScopes())) {
            throw new IllegalStateException("A Key Vault client asked for a token outside Key Vault's scopes");
        }
        return credential.getTokenSync(request);
    }
}
