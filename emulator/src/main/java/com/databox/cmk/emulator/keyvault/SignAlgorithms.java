package com.databox.cmk.emulator.keyvault;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Sign and verify as Key Vault does: the caller sends a digest (not the data), the signature is RSASSA-PKCS1-v1_5
 * (RS256/384/512), RSASSA-PSS with MGF1 and a salt as long as the digest (PS256/384/512), or ECDSA in JOSE form,
 * {@code R || S} (ES256, ES256K, ES384, ES512, each tied to its curve).
 */
final class SignAlgorithms {

    private SignAlgorithms() {}

    static byte[] sign(KeyMaterial material, String alg, byte[] digest) {
        try {
            Scheme scheme = scheme(material, alg, digest);
            return switch (scheme.family) {
                case "RS" -> {
                    Signature signature = Signature.getInstance("NONEwithRSA");
                    signature.initSign(material.keyPair().getPrivate());
                    signature.update(digestInfo(scheme.bits, digest));
                    yield signature.sign();
                }
                case "PS" -> {
                    PSSSigner signer = PSSSigner.createRawSigner(
                            new RSABlindedEngine(),
                            digest(scheme.bits),
                            digest(scheme.bits),
                            digest.length,
                            PSSSigner.TRAILER_IMPLICIT);
                    signer.init(
                            true,
                            PrivateKeyFactory.createKey(
                                    material.keyPair().getPrivate().getEncoded()));
                    signer.update(digest, 0, digest.length);
                    yield signer.generateSignature();
                }
                default -> {
                    Signature signature = ecdsa(material);
                    signature.initSign(material.keyPair().getPrivate());
                    signature.update(digest);
                    yield joseFromDer(signature.sign(), coordinateLength(material));
                }
            };
        } catch (GeneralSecurityException | IOException | CryptoException e) {
            throw DataPlaneErrors.badParameter("The sign operation failed: " + e.getMessage());
        }
    }

    static boolean verify(KeyMaterial material, String alg, byte[] digest, byte[] value) {
        try {
            Scheme scheme = scheme(material, alg, digest);
            return switch (scheme.family) {
                case "RS" -> {
                    Signature signature = Signature.getInstance("NONEwithRSA");
                    signature.initVerify(material.keyPair().getPublic());
                    signature.update(digestInfo(scheme.bits, digest));
                    yield signature.verify(value);
                }
                case "PS" -> {
                    PSSSigner signer = PSSSigner.createRawSigner(
                            new RSABlindedEngine(),
                            digest(scheme.bits),
                            digest(scheme.bits),
                            digest.length,
                            PSSSigner.TRAILER_IMPLICIT);
                    signer.init(
                            false,
                            PublicKeyFactory.createKey(
                                    material.keyPair().getPublic().getEncoded()));
                    signer.update(digest, 0, digest.length);
                    yield signer.verifySignature(value);
                }
                default -> {
                    int length = coordinateLength(material);
                    if (value.length != 2 * length) {
                        yield false;
                    }
                    Signature signature = ecdsa(material);
                    signature.initVerify(material.keyPair().getPublic());
                    signature.update(digest);
                    yield signature.verify(derFromJose(value, length));
                }
            };
        } catch (GeneralSecurityException | IOException e) {
            return false;
        }
    }

    private record Scheme(String family, int bits) {}

    /** The algorithm's family and digest size, after checking it fits the key and the digest. */
    private static Scheme scheme(KeyMaterial material, String alg, byte[] digest) {
        if (alg == null) {
            throw DataPlaneErrors.badParameter("The algorithm (alg) is required.");
        }
        Scheme scheme = switch (alg) {
            case "RS256", "PS256", "ES256", "ES256K" -> new Scheme(alg.substring(0, 2), 256);
            case "RS384", "PS384", "ES384" -> new Scheme(alg.substring(0, 2), 384);
            case "RS512", "PS512", "ES512" -> new Scheme(alg.substring(0, 2), 512);
            default ->
                throw DataPlaneErrors.badParameter(
                        "Algorithm " + alg + " is not supported for key type " + material.kty() + ".");
        };
        boolean fits = scheme.family.equals("ES")
                ? material.isEc() && alg.equals(ecAlgorithm(material.curve()))
                : material.isRsa();
        if (!fits) {
            throw DataPlaneErrors.badParameter("Algorithm " + alg + " is not supported for key type " + material.kty()
                    + (material.curve() == null ? "" : " with curve " + material.curve()) + ".");
        }
        if (digest.length != scheme.bits / 8) {
            throw DataPlaneErrors.badParameter("The digest for " + alg + " must be " + scheme.bits / 8
                    + " bytes long, was " + digest.length + ".");
        }
        return scheme;
    }

    private static String ecAlgorithm(String curve) {
        return switch (curve) {
            case "P-256" -> "ES256";
            case "P-256K" -> "ES256K";
            case "P-384" -> "ES384";
            case "P-521" -> "ES512";
            default -> "";
        };
    }

    private static Signature ecdsa(KeyMaterial material) throws GeneralSecurityException {
        return "P-256K".equals(material.curve())
                ? Signature.getInstance("NONEwithECDSA", KeyMaterial.BC)
                : Signature.getInstance("NONEwithECDSA");
    }

    private static int coordinateLength(KeyMaterial material) {
        return "P-521".equals(material.curve()) ? 66 : "P-384".equals(material.curve()) ? 48 : 32;
    }

    private static Digest digest(int bits) {
        return switch (bits) {
            case 256 -> new SHA256Digest();
            case 384 -> new SHA384Digest();
            default -> new SHA512Digest();
        };
    }

    private static byte[] digestInfo(int bits, byte[] digest) throws IOException {
        var oid = switch (bits) {
            case 256 -> NISTObjectIdentifiers.id_sha256;
            case 384 -> NISTObjectIdentifiers.id_sha384;
            default -> NISTObjectIdentifiers.id_sha512;
        };
        return new DigestInfo(new AlgorithmIdentifier(oid, DERNull.INSTANCE), digest).getEncoded("DER");
    }

    private static byte[] joseFromDer(byte[] der, int length) {
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        byte[] r = KeyMaterial.unsigned(
                ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue(), length);
        byte[] s = KeyMaterial.unsigned(
                ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue(), length);
        byte[] jose = new byte[2 * length];
        System.arraycopy(r, 0, jose, 0, length);
        System.arraycopy(s, 0, jose, length, length);
        return jose;
    }

    private static byte[] derFromJose(byte[] jose, int length) throws IOException {
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(jose, 0, length));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(jose, length, 2 * length));
        return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded("DER");
    }
}
