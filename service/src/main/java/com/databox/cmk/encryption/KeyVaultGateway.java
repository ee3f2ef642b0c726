package com.databox.cmk.encryption;

import com.databox.cmk.unlockkey.KeyWrapping;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;

/**
 * Key Vault as the encryption operations need it, always as one identity and always in the
 * vault (nothing is answered from a cache, so a revoked permission shows at once). Failures
 * are {@link com.databox.cmk.error.ServiceException}s with the contract's codes.
 */
public interface KeyVaultGateway extends KeyWrapping {
    /** Gets the key (the Get permission). */
    KeyDescription describe(String keyUrl, WrappingIdentity identity);

    /**
     * Wraps with the public key, without calling the vault, so that UnwrapKey can be proven
     * even when WrapKey is refused.
     */
    WrappedUnlockKey wrapWithPublicKey(KeyDescription key, byte[] value);
}
