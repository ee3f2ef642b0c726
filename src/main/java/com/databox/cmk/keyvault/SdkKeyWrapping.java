package com.databox.cmk.keyvault;

import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.UnwrapResult;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import com.databox.cmk.encryption.KeyWrapping;
import com.databox.cmk.encryption.WrappingIdentity;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.order.WrappedUnlockKey;

/** Wrap and unwrap in Key Vault with the SDK's CryptographyClient, as the given identity. */
public final class SdkKeyWrapping implements KeyWrapping {
    private static final KeyWrapAlgorithm ALGORITHM = KeyWrapAlgorithm.RSA_OAEP_256;

    private final KeyVaultClients clients;
    private final ManagedIdentityCredentials credentials;

    public SdkKeyWrapping(KeyVaultClients clients, ManagedIdentityCredentials credentials) {
        this.clients = clients;
        this.credentials = credentials;
    }

    @Override
    public WrappedUnlockKey wrap(String keyUrl, WrappingIdentity identity, byte[] unlockKey) {
        KeyUrl key = clients.hostPolicy().check(keyUrl);
        try {
            WrapResult result = clients.cryptographyClient(key, ManagedIdentityCredentials.cacheKey(identity),
                    credentials.credential(identity)).wrapKey(ALGORITHM, unlockKey);
            // The vault names the exact version it used, also when the URL had none.
            KeyUrl used = clients.hostPolicy().check(result.getKeyId());
            return new WrappedUnlockKey(used.keyId(), result.getAlgorithm().toString(), result.getEncryptedKey());
        } catch (RuntimeException e) {
            throw KeyVaultErrors.map(e, key, ManagedIdentityCredentials.describe(identity), "wrapKey");
        }
    }

    @Override
    public byte[] unwrap(WrappedUnlockKey wrapped, WrappingIdentity identity) {
        KeyUrl key = clients.hostPolicy().check(wrapped.keyId());
        try {
            UnwrapResult result = clients.cryptographyClient(key, ManagedIdentityCredentials.cacheKey(identity),
                    credentials.credential(identity)).unwrapKey(KeyWrapAlgorithm.fromString(wrapped.algorithm()),
                    wrapped.value());
            return result.getKey();
        } catch (RuntimeException e) {
            throw KeyVaultErrors.map(e, key, ManagedIdentityCredentials.describe(identity), "unwrapKey");
        }
    }
}
