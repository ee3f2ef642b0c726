package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The secret part of a key version; only public parts ever leave the emulator (backups are sealed). */
public record KeyMaterial(String kty, int size, String curve, KeyPair keyPair, SecretKey secretKey) {

    static final List<String> RSA_OPS = List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey");
    static final List<String> EC_OPS = List.of("sign", "verify");
    static final List<String> OCT_OPS = List.of("encrypt", "decrypt", "wrapKey", "unwrapKey");
    /** Key Vault's RSA sizes for vaults (docs: "RSA 2K, 3K, 4K"). */
    static final Set<Integer> VAULT_RSA_SIZES = Set.of(2048, 3072, 4096);
    /** The JDK dropped secp256k1; Bouncy Castle (an instance, not registered JVM-wide) serves P-256K. */
    static final Provider BC = new BouncyCastleProvider();

    /**
     * Makes new material; {@code size} and {@code curve} may be null for the defaults. Its errors name what it
     * makes, which is what the admin API creates: the data plane refuses what Key Vault does not make first
     * ({@link #checkAllowed}).
     */
    static KeyMaterial generate(String kty, Integer size, String curve) {
        if (kty == null) {
            throw DataPlaneErrors.badParameter("The key type (kty) is required.");
        }
        try {
            return switch (kty) {
                case "RSA", "RSA-HSM" -> rsa(kty, size == null ? 2048 : size);
                case "EC", "EC-HSM" -> ec(kty, curve == null ? "P-256" : curve);
                case "oct", "oct-HSM" -> oct(kty, size == null ? 256 : size);
                default ->
                    throw DataPlaneErrors.badParameter("The key type '" + kty
                            + "' is not supported; use RSA, RSA-HSM, EC, EC-HSM, oct or oct-HSM.");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + kty + " key", e);
        }
    }

    /**
     * Key Vault's rules for what a vault of this SKU creates or imports: RSA 2048/3072/4096 and EC P-256, P-384,
     * P-521, P-256K in every vault, their -HSM kinds only in premium, no {@code oct} (Managed HSM only).
     */
    static void checkAllowed(String kty, Integer size, String curve, String sku) {
        if (kty == null) {
            throw DataPlaneErrors.badParameter("The key type (kty) is required.");
        }
        switch (kty) {
            case "RSA", "EC" -> {}
            case "RSA-HSM", "EC-HSM" -> {
                if (!VaultSettings.PREMIUM.equals(sku)) {
                    throw DataPlaneErrors.badParameter("Key type " + kty + " is not supported by a vault of SKU '" + sku
                            + "'; HSM-protected keys need a premium vault.");
                }
            }
            case "oct", "oct-HSM" ->
                throw DataPlaneErrors.badParameter("Key type " + kty
                        + " is not supported by a key vault; symmetric keys are available in a Managed HSM only.");
            default -> throw DataPlaneErrors.badParameter("The key type '" + kty + "' is not supported.");
        }
        if (kty.startsWith("RSA") && size != null && !VAULT_RSA_SIZES.contains(size)) {
            throw DataPlaneErrors.badParameter(
                    "The RSA key size " + size + " is not supported; use 2048, 3072 or 4096.");
        }
        if (kty.startsWith("EC") && curve != null && jcaCurve(curve) == null) {
            throw DataPlaneErrors.badParameter(
                    "The curve '" + curve + "' is not supported; use P-256, P-384, P-521 or P-256K.");
        }
    }

    private static KeyMaterial rsa(String kty, int size) throws GeneralSecurityException {
        if (size < 1024 || size > 4096 || size % 8 != 0) {
            throw DataPlaneErrors.badParameter(
                    "The RSA key size " + size + " is not supported; use 1024 to 4096 bits, a multiple of 8.");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(size);
        return new KeyMaterial(kty, size, null, generator.generateKeyPair(), null);
    }

    private static KeyMaterial ec(String kty, String curve) throws GeneralSecurityException {
        String name = curve.toUpperCase(Locale.ROOT);
        String jca = jcaCurve(name);
        if (jca == null) {
            throw DataPlaneErrors.badParameter(
                    "The curve '" + curve + "' is not supported; use P-256, P-384, P-521 or P-256K.");
        }
        KeyPairGenerator generator =
                "P-256K".equals(name) ? KeyPairGenerator.getInstance("EC", BC) : KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(jca));
        return new KeyMaterial(kty, 0, name, generator.generateKeyPair(), null);
    }

    static String jcaCurve(String curve) {
        return switch (curve.toUpperCase(Locale.ROOT)) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            case "P-256K" -> "secp256k1";
            default -> null;
        };
    }

    private static KeyMaterial oct(String kty, int size) throws GeneralSecurityException {
        if (size != 128 && size != 192 && size != 256) {
            throw DataPlaneErrors.badParameter(
                    "The oct key size " + size + " is not supported; use 128, 192 or 256 bits.");
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(size);
        return new KeyMaterial(kty, size, null, null, generator.generateKey());
    }

    /** Material from an imported JSON Web Key with its private members ({@code d}, and for RSA the CRT values). */
    static KeyMaterial fromJwk(JsonNode jwk, boolean hsm) {
        String kty = Json.text(jwk, "kty");
        if (kty == null) {
            throw DataPlaneErrors.badParameter("The key (JSON Web Key) needs a kty.");
        }
        String type = hsm && !kty.endsWith("-HSM") ? kty + "-HSM" : kty;
        try {
            if (kty.startsWith("RSA")) {
                BigInteger n = big(jwk, "n");
                BigInteger e = big(jwk, "e");
                BigInteger d = big(jwk, "d");
                KeyFactory factory = KeyFactory.getInstance("RSA");
                PrivateKey privateKey = jwk.hasNonNull("p")
                                && jwk.hasNonNull("q")
                                && jwk.hasNonNull("dp")
                                && jwk.hasNonNull("dq")
                                && jwk.hasNonNull("qi")
                        ? factory.generatePrivate(new RSAPrivateCrtKeySpec(
                                n, e, d, big(jwk, "p"), big(jwk, "q"), big(jwk, "dp"), big(jwk, "dq"), big(jwk, "qi")))
                        : factory.generatePrivate(new RSAPrivateKeySpec(n, d));
                PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(n, e));
                return new KeyMaterial(type, n.bitLength(), null, new KeyPair(publicKey, privateKey), null);
            }
            if (kty.startsWith("EC")) {
                String curve = Json.text(jwk, "crv");
                if (curve == null || jcaCurve(curve) == null) {
                    throw DataPlaneErrors.badParameter(
                            "The curve '" + curve + "' is not supported; use P-256, P-384, P-521 or P-256K.");
                }
                String name = curve.toUpperCase(Locale.ROOT);
                boolean k1 = "P-256K".equals(name);
                AlgorithmParameters parameters =
                        k1 ? AlgorithmParameters.getInstance("EC", BC) : AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec(jcaCurve(name)));
                ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
                KeyFactory factory = k1 ? KeyFactory.getInstance("EC", BC) : KeyFactory.getInstance("EC");
                PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(big(jwk, "d"), spec));
                PublicKey publicKey =
                        factory.generatePublic(new ECPublicKeySpec(new ECPoint(big(jwk, "x"), big(jwk, "y")), spec));
                return new KeyMaterial(type, 0, name, new KeyPair(publicKey, privateKey), null);
            }
            if (kty.startsWith("oct")) {
                byte[] k = Json.fromBase64Url(required(jwk, "k"));
                return new KeyMaterial(type, k.length * 8, null, null, new SecretKeySpec(k, "AES"));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw DataPlaneErrors.badParameter(
                    "The key (JSON Web Key) is not a valid " + kty + " private key: " + e.getMessage());
        }
        throw DataPlaneErrors.badParameter("The key type '" + kty + "' is not supported.");
    }

    private static BigInteger big(JsonNode jwk, String member) {
        return new BigInteger(1, Json.fromBase64Url(required(jwk, member)));
    }

    private static String required(JsonNode jwk, String member) {
        String value = Json.text(jwk, member);
        if (value == null || value.isEmpty()) {
            throw DataPlaneErrors.badParameter(
                    "The key (JSON Web Key) needs its private member '" + member + "' to be imported.");
        }
        return value;
    }

    /** The private and public parts as PKCS#8 and X.509 (or the raw secret), for sealed backups. */
    byte[][] encoded() {
        if (isOct()) {
            return new byte[][] {secretKey.getEncoded()};
        }
        return new byte[][] {
            keyPair.getPrivate().getEncoded(), keyPair.getPublic().getEncoded()
        };
    }

    static KeyMaterial decode(String kty, int size, String curve, byte[][] parts) throws GeneralSecurityException {
        if (kty.startsWith("oct")) {
            return new KeyMaterial(kty, size, null, null, new SecretKeySpec(parts[0], "AES"));
        }
        KeyFactory factory = kty.startsWith("RSA")
                ? KeyFactory.getInstance("RSA")
                : "P-256K".equals(curve) ? KeyFactory.getInstance("EC", BC) : KeyFactory.getInstance("EC");
        return new KeyMaterial(
                kty,
                size,
                curve,
                new KeyPair(
                        factory.generatePublic(new X509EncodedKeySpec(parts[1])),
                        factory.generatePrivate(new PKCS8EncodedKeySpec(parts[0]))),
                null);
    }

    boolean isRsa() {
        return kty.startsWith("RSA");
    }

    boolean isOct() {
        return kty.startsWith("oct");
    }

    boolean isEc() {
        return kty.startsWith("EC");
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
    static byte[] unsigned(BigInteger value, int length) {
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
