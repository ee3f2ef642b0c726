package com.databox.cmk.emulator.keyvault;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/** Key wrapping with real JCA ciphers: public key to wrap, private key to unwrap, as Key Vault does. */
final class WrapAlgorithms {

    private WrapAlgorithms() {}

    static byte[] wrap(KeyMaterial material, String alg, byte[] value) {
        return run(material, alg, value, true);
    }

    static byte[] unwrap(KeyMaterial material, String alg, byte[] value) {
        return run(material, alg, value, false);
    }

    private static byte[] run(KeyMaterial material, String alg, byte[] value, boolean wrap) {
        if (alg == null) {
            throw DataPlaneErrors.badParameter("The algorithm (alg) is required.");
        }
        try {
            if (material.isRsa()) {
                return rsa(material, alg, value, wrap);
            }
            if (material.isOct()) {
                return aesKeyWrap(material, alg, value, wrap);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw DataPlaneErrors.badParameter(
                    "The " + (wrap ? "wrap" : "unwrap") + " operation failed: " + e.getMessage());
        }
        throw DataPlaneErrors.badParameter(
                "Algorithm " + alg + " is not supported for key type " + material.kty() + ".");
    }

    private static byte[] rsa(KeyMaterial material, String alg, byte[] value, boolean wrap)
            throws GeneralSecurityException {
        String transformation;
        AlgorithmParameterSpec parameters = null;
        switch (alg) {
            case "RSA-OAEP" -> {
                transformation = "RSA/ECB/OAEPPadding";
                parameters = new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
            }
            case "RSA-OAEP-256" -> {
                transformation = "RSA/ECB/OAEPPadding";
                parameters =
                        new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
            }
            case "RSA1_5" -> transformation = "RSA/ECB/PKCS1Padding";
            default ->
                throw DataPlaneErrors.badParameter("Algorithm " + alg + " is not supported for key type "
                        + material.kty() + "; use RSA-OAEP, RSA-OAEP-256 or RSA1_5.");
        }
        Key key = wrap ? material.keyPair().getPublic() : material.keyPair().getPrivate();
        Cipher cipher = Cipher.getInstance(transformation);
        cipher.init(wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, parameters);
        return cipher.doFinal(value);
    }

    private static byte[] aesKeyWrap(KeyMaterial material, String alg, byte[] value, boolean wrap)
            throws GeneralSecurityException {
        int bits = switch (alg) {
            case "A128KW" -> 128;
            case "A192KW" -> 192;
            case "A256KW" -> 256;
            default ->
                throw DataPlaneErrors.badParameter("Algorithm " + alg + " is not supported for key type "
                        + material.kty() + "; use A128KW, A192KW or A256KW.");
        };
        if (bits != material.size()) {
            throw DataPlaneErrors.badParameter("Algorithm " + alg + " needs a " + bits + "-bit key.");
        }
        Cipher cipher = Cipher.getInstance("AESWrap");
        if (wrap) {
            cipher.init(Cipher.WRAP_MODE, material.secretKey());
            return cipher.wrap(new SecretKeySpec(value, "AES"));
        }
        cipher.init(Cipher.UNWRAP_MODE, material.secretKey());
        return ((SecretKey) cipher.unwrap(value, "AES", Cipher.SECRET_KEY)).getEncoded();
    }
}
