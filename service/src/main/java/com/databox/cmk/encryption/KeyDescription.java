package com.databox.cmk.encryption;

import com.databox.cmk.unlockkey.KeyUrl;
import java.security.PublicKey;
import java.time.Instant;

/**
 * What Key Vault says of one key version, read with the identity that will use it.
 *
 * @param keyUrl the exact version, also when it was asked for without one
 * @param keySize bits of the RSA modulus (or of the EC curve); 0 when unknown
 * @param publicKey the RSA public key, or null for other key types
 */
public record KeyDescription(
        KeyUrl keyUrl,
        String keyType,
        int keySize,
        String recoveryLevel,
        Integer recoverableDays,
        boolean enabled,
        Instant notBefore,
        Instant expiresOn,
        PublicKey publicKey) {}
