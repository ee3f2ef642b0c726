package com.databox.cmk.encryption;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;
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
    KeyDescription describe(KeyUrl key, WrappingIdentity identity);

    /**
     * Gets the key and wraps {@code value} with it, for a URL naming its version (the wrap then
     * needs nothing from the get). A gateway that can have both calls in flight at once does, so
     * that they cost one round trip; this default makes them one after the other.
     */
    default KeyAndWrap describeAndWrap(KeyUrl key, WrappingIdentity identity, byte[] value) {
        KeyDescription description = null;
        ServiceException getFailure = null;
        try {
            description = describe(key, identity);
        } catch (ServiceException e) {
            getFailure = e;
        }
        try {
            return new KeyAndWrap(description, getFailure, wrap(key, identity, value), null);
        } catch (ServiceException e) {
            return new KeyAndWrap(description, getFailure, null, e);
        }
    }

    /**
     * Wraps with the public key, without calling the vault, so that UnwrapKey can be proven
     * even when WrapKey is refused.
     */
    WrappedUnlockKey wrapWithPublicKey(KeyDescription key, byte[] value);
}
