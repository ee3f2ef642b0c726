package com.databox.cmk.emulator.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The vaults' TLS certificate: self-signed (no CA), SAN IP:127.0.0.1 and DNS:localhost, made at
 * start-up and written as PEM (for clients to trust) and PKCS#12.
 */
public final class SelfSignedCertificate {

    /** Password of the PKCS#12 file; it only protects a throw-away loopback test key. */
    public static final String PKCS12_PASSWORD = "emulator";

    private static final String ALIAS = "emulator";

    private final X509Certificate certificate;
    private final KeyPair keyPair;
    private final Path pemPath;
    private final Path pkcs12Path;

    private SelfSignedCertificate(X509Certificate certificate, KeyPair keyPair, Path pemPath, Path pkcs12Path) {
        this.certificate = certificate;
        this.keyPair = keyPair;
        this.pemPath = pemPath;
        this.pkcs12Path = pkcs12Path;
    }

    public static SelfSignedCertificate create(Path directory) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate certificate = build(keyPair);
        Files.createDirectories(directory);
        Path pem = directory.resolve("emulator-ca.pem");
        Path p12 = directory.resolve("emulator.p12");
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        Files.writeString(pem, text.toString());
        KeyStore store = keyStore(certificate, keyPair);
        try (OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, PKCS12_PASSWORD.toCharArray());
        }
        return new SelfSignedCertificate(certificate, keyPair, pem, p12);
    }

    private static X509Certificate build(KeyPair keyPair) throws GeneralSecurityException, IOException {
        X500Name subject = new X500Name("CN=localhost, O=Databox CMK Key Vault emulator");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))),
                subject,
                keyPair.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(
                    GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
            new GeneralName(GeneralName.dNSName, "localhost")
        }));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(
                Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keyPair.getPublic()));
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyStore keyStore(X509Certificate certificate, KeyPair keyPair)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                ALIAS, keyPair.getPrivate(), PKCS12_PASSWORD.toCharArray(), new X509Certificate[] {certificate});
        return store;
    }

    /** A server-side TLS context presenting this certificate. */
    public SSLContext serverContext() throws GeneralSecurityException, IOException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore(certificate, keyPair), PKCS12_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    public Path pemPath() {
        return pemPath;
    }

    public Path pkcs12Path() {
        return pkcs12Path;
    }
}
