package com.databox.cmk.testing;

import com.databox.cmk.encryption.KeyDescription;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;

/** A vault that passes every call on to another: a test overrides the calls it watches or holds up. */
public class PassThroughKeyVault implements KeyVaultGateway {
    private final KeyVaultGateway vault;

    public PassThroughKeyVault(KeyVaultGateway vault) {
        this.vault = vault;
    }

    @Override
    public KeyDescription describe(KeyUrl key, WrappingIdentity identity) {
        return vault.describe(key, identity);
    }

    @Override
    public WrappedUnlockKey wrapWithPublicKey(KeyDescription description, byte[] value) {
        return vault.wrapWithPublicKey(description, value);
    }

    @Override
    public WrappedUnlockKey wrap(KeyUrl key, WrappingIdentity identity, byte[] unlockKey) {
        return vault.wrap(key, identity, unlockKey);
    }

    @Override
    public byte[] unwrap(WrappedUnlockKey wrapped, WrappingIdentity identity) {
        return vault.unwrap(wrapped, identity);
    }
}
