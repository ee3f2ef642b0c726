package com.databox.cmk.keyvault;

import com.azure.security.keyvault.keys.implementation.KeyVaultCredentialPolicy;
import com.databox.cmk.unlockkey.KeyUrl;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps what the Key Vault SDK remembers of vaults' challenges within the service's own bound on vaults. The SDK's
 * challenge policy keeps each vault host's 401 challenge (its scope and tenant) in a static map that it never
 * empties by itself ({@code KeyVaultCredentialPolicy.CHALLENGE_CACHE} in azure-security-keyvault-keys 4.11): a caller
 * naming ever new existing vaults grew it for the life of the instance, while {@link KeyVaultClients} keeps clients
 * for at most {@link KeyVaultClients#MAX_VAULT_CLIENTS} vaults (bug bash sx1, B1). So the vaults called since the map
 * was last emptied are counted, and it is emptied before a call to one vault more than that: it holds at most
 * {@code maxVaults} vaults' challenges, and those of calls already on their way when it was emptied.
 *
 * <p>What emptying it costs: a client made afterwards meets its vault's challenge again, one 401 round trip more (its
 * first request goes without a token, and without its body). A client already kept keeps the challenge it met in its
 * own policy and pays nothing.
 */
final class VaultChallenges {
    private final int maxVaults;
    private final Set<String> calledSinceEmptied = new HashSet<>();

    VaultChallenges(int maxVaults) {
        this.maxVaults = maxVaults;
    }

    /** Before every call to the key's vault, through any client. */
    synchronized void calling(KeyUrl key) {
        String vault = key.vaultUrl();
        if (calledSinceEmptied.contains(vault)) {
            return;
        }
        if (calledSinceEmptied.size() >= maxVaults) {
            forgetSdkChallenges();
            calledSinceEmptied.clear();
        }
        calledSinceEmptied.add(vault);
    }

    /**
     * The one call to the SDK's implementation package: the SDK offers no public way to empty the map, and
     * {@code clearCache} is public and static on its credential policy. A plain static call, no reflection, so a
     * native image's analysis sees it as any other; were it gone in a later SDK, the build fails here rather than the
     * service at run time.
     */
    private static void forgetSdkChallenges() {
        KeyVaultCredentialPolicy.clearCache();
    }
}
