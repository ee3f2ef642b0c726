package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/** The secret part of a key version; only public parts ever leave the emulator. */
public record KeyMaterial(String kty, int size, String curve, KeyPair keyPair, SecretKey secretKey) {

    static final List<String> RSA_OPS = List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey");
    static final List<String> EC_OPS = List.of("sign", "verify");
    static final List<String> OCT_OPS = List.of("encrypt", "decrypt", "wrapKey", "unwrapKey");

    /** Makes new material; {@code size} and {@code curve} may be null for the defaults. */
    static KeyMaterial generate(String kty, Integer size, String curve) {
        if (kty == null) {
            throw DataPlaneErrors.badParameter("The key type (kty) is required.");
        }
        try {
            return switch (kty) {
                case "RSA", "RSA-HSM" -> rsa(kty, size == null ? 2048 : size);
                case "EC", "EC-HSM" -> ec(kty, curve == null ? "P-256" : curve);
                case "oct", "oct-HSM" -> oct(kty, size == null ? 256 : size);
                default -> throw DataPlaneErrors.badParameter("The key type '" + kty + "' is not supported; use RSA, RSA-HSM,"
                        + " EC, EC-HSM, oct or oct-HSM.");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + kty + " key", e);
        }
    }

    private static KeyMaterial rsa(String kty, int size) throws GeneralSecurityException {
        if (size < 1024 || size > 4096 || size % 8 != 0) {
            throw DataPlaneErrors.badParameter("The RSA key size " + size + " is not supported; use 1024 to 4096 bits.");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(size);
        return new KeyMaterial(kty, size, null, generator.generateKeyPair(), null);
    }

    private static KeyMaterial ec(String kty, String curve) throws GeneralSecurityException {
        String jcaCurve = switch (curve.toUpperCase(Locale.ROOT)) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            case "P-256K" -> throw DataPlaneErrors.badParameter("The curve P-256K is not supported by the emulator.");
            default -> throw DataPlaneErrors.badParameter("The curve '" + curve + "' is not supported; use P-256, P-384 or P-521.");
        };
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(jcaCurve));
        return new KeyMaterial(kty, 0, curve.toUpperCase(Locale.ROOT), generator.generateKeyPair(), null);
    }

    private static KeyMaterial oct(String kty, int size) throws GeneralSecurityException {
        if (size != 128 && size != 192 && size != 256) {
            throw DataPlaneErrors.badParameter("The oct key size " + size + " is not supported; use 128, 192 or 256 bits.");
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(size);
        return new KeyMaterial(kty, size, null, null, generator.generateKey());
    }

    boolean isRsa() {
        return kty.startsWith("RSA");
    }

    boolean isOct() {
        return kty.startsWith("oct");
    }

    List<String> defaultOps() {
        return isRsa() ? RSA_OPS : isOct() ? OCT_OPS : EC_OPS;
    }

    /** Writes the public JWK members ({@code n},{@code e} or {@code crv},{@code x},{@code y}; nothing for oct). */
    void writePublicJwk(ObjectNode jwk) {
        jwk.put("kty", kty);
        if (isRsa()) {
            RSAPublicKey key = (RSAPublicKey) keyPair.getPublic();
            jwk.put("n", Json.base64Url(unsigned(key.getModulus(), 0)));
            jwk.put("e", Json.base64Url(unsigned(key.getPublicExponent(), 0)));
        } else if (!isOct()) {
            ECPublicKey key = (ECPublicKey) keyPair.getPublic();
            int length = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            jwk.put("crv", curve);
            jwk.put("x", Json.base64Url(unsigned(key.getW().getAffineX(), length)));
            jwk.put("y", Json.base64Url(unsigned(key.getW().getAffineY(), length)));
        }
    }

    /** Big-endian bytes without the sign byte, left-padded to {@code length} when it is not 0. */
    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length > bytes.length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            return padded;
        }
        return bytes;
    }
}
