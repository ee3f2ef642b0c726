package com.databox.cmk.emulator;

import com.databox.cmk.emulator.admin.AdminHandler;
import com.databox.cmk.emulator.admin.ApplicationsHandler;
import com.databox.cmk.emulator.arm.ArmAuthentication;
import com.databox.cmk.emulator.arm.ArmHandler;
import com.databox.cmk.emulator.arm.RoleAssignments;
import com.databox.cmk.emulator.entra.AuthorityMetadata;
import com.databox.cmk.emulator.entra.EntraIssuer;
import com.databox.cmk.emulator.entra.EntraIssuerHandler;
import com.databox.cmk.emulator.entra.FederatedTokenHandler;
import com.databox.cmk.emulator.entra.TokenIssuer;
import com.databox.cmk.emulator.entra.TokenVerifier;
import com.databox.cmk.emulator.http.ServerSockets;
import com.databox.cmk.emulator.identity.Applications;
import com.databox.cmk.emulator.identity.Directory;
import com.databox.cmk.emulator.identity.FederatedIdentities;
import com.databox.cmk.emulator.identity.FunctionAppIdentities;
import com.databox.cmk.emulator.identity.IdentityEndpointHandler;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.emulator.keyvault.Faults;
import com.databox.cmk.emulator.keyvault.KeySpec;
import com.databox.cmk.emulator.keyvault.RequestCounter;
import com.databox.cmk.emulator.keyvault.Vault;
import com.databox.cmk.emulator.keyvault.VaultInfo;
import com.databox.cmk.emulator.keyvault.VaultRegistry;
import com.databox.cmk.emulator.keyvault.VaultSettings;
import com.databox.cmk.emulator.tls.SelfSignedCertificate;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local Key Vault and managed-identity emulator: the admin API and the identity endpoint on one
 * plain-HTTP loopback port, one HTTPS server per vault, and one HTTPS server for the slice of Azure
 * Resource Manager the service uses (see {@link ArmHandler}). Start with {@link #start(EmulatorOptions)}.
 */
public final class KeyVaultEmulator implements AutoCloseable {

    private final HttpServer adminServer;
    private final HttpsServer armServer;
    private final HttpsServer loginServer;
    private final ExecutorService adminExecutor;
    private final VaultRegistry vaults;
    private final Directory directory;
    private final SelfSignedCertificate certificate;
    private final String identityHeader;
    private final EntraIssuer entra;

    private KeyVaultEmulator(
            HttpServer adminServer,
            HttpsServer armServer,
            HttpsServer loginServer,
            ExecutorService adminExecutor,
            VaultRegistry vaults,
            Directory directory,
            SelfSignedCertificate certificate,
            String identityHeader,
            EntraIssuer entra) {
        this.entra = entra;
        this.armServer = armServer;
        this.loginServer = loginServer;
        this.adminServer = adminServer;
        this.adminExecutor = adminExecutor;
        this.vaults = vaults;
        this.directory = directory;
        this.certificate = certificate;
        this.identityHeader = identityHeader;
    }

    public static KeyVaultEmulator start(EmulatorOptions options) {
        ServerSockets.sendWithoutDelay();
        try {
            Path certDir = options.certificateDirectory() != null
                    ? options.certificateDirectory()
                    : Files.createTempDirectory("kv-emulator-");
            SelfSignedCertificate certificate = SelfSignedCertificate.create(certDir);
            String header = options.identityHeader() != null ? options.identityHeader() : randomSecret();
            String tenant = options.defaultTenantId() != null
                    ? options.defaultTenantId()
                    : UUID.randomUUID().toString();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair signing = generator.generateKeyPair();
            Clock clock = Clock.systemUTC();

            Directory directory = new Directory(tenant);
            RequestCounter counter = new RequestCounter();
            Faults faults = new Faults();
            TokenVerifier verifier = new TokenVerifier(signing.getPublic(), clock);
            VaultRegistry vaults = new VaultRegistry(certificate.serverContext(), verifier, counter, faults, clock);
            FunctionAppIdentities functionApp = new FunctionAppIdentities(options.trackAssignments());
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            HttpServer server =
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.adminPort()), 0);
            EntraIssuer entra = new EntraIssuer(clock);
            RoleAssignments roles = new RoleAssignments();
            server.createContext("/admin", new AdminHandler(directory, vaults, faults, counter, entra, roles));
            server.createContext("/entra", new EntraIssuerHandler(entra, faults));
            Applications applications = new Applications();
            server.createContext("/admin/applications", new ApplicationsHandler(applications, directory));
            TokenIssuer tokens =
                    new TokenIssuer(signing.getPrivate(), UUID.randomUUID().toString(), clock);
            server.createContext("/msi/token", new IdentityEndpointHandler(directory, functionApp, tokens, header));
            server.setExecutor(executor);
            server.start();
            entra.baseUrl("http://127.0.0.1:" + server.getAddress().getPort());
            HttpsServer arm = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            arm.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
            arm.createContext(
                    "/", new ArmHandler(directory, functionApp, new ArmAuthentication(verifier, tenant), roles));
            arm.setExecutor(executor);
            arm.start();
            // Entra ID's authority host for workload identity federation (HTTPS, as MSAL requires).
            HttpsServer login = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            login.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
            login.createContext(
                    "/",
                    new FederatedTokenHandler(
                            new FederatedIdentities(directory, functionApp, applications, tokens, verifier),
                            new AuthorityMetadata((RSAPublicKey) signing.getPublic(), tokens.keyId()),
                            clock));
            login.setExecutor(executor);
            login.start();
            return new KeyVaultEmulator(server, arm, login, executor, vaults, directory, certificate, header, entra);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Key Vault emulator", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the Key Vault emulator", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        adminServer.stop(0);
        armServer.stop(0);
        loginServer.stop(0);
        adminExecutor.shutdownNow();
        vaults.close();
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + adminServer.getAddress().getPort();
    }

    public String identityEndpoint() {
        return adminUrl() + "/msi/token";
    }

    /** The emulator's Azure Resource Manager: {@code https://127.0.0.1:{port}}, with the vaults' certificate. */
    public String armUrl() {
        return "https://127.0.0.1:" + armServer.getAddress().getPort();
    }

    /**
     * Entra ID's authority host for workload identity federation: {@code https://127.0.0.1:{port}}, with the
     * vaults' certificate, serving {@code POST /{tenant}/oauth2/v2.0/token} for client assertions.
     */
    public String entraAuthorityHost() {
        return "https://127.0.0.1:" + loginServer.getAddress().getPort();
    }

    /** The client (application) ID of the app's own identity: its app registration, for federation. */
    public String appClientId() {
        return directory.systemIdentity().clientId();
    }

    public String subscriptionId() {
        return Directory.SUBSCRIPTION_ID;
    }

    public String resourceGroup() {
        return Directory.RESOURCE_GROUP;
    }

    public String location() {
        return ArmHandler.LOCATION;
    }

    /** The function app's ARM resource ID, to which identities are assigned through the ARM API. */
    public String functionAppResourceId() {
        return FunctionAppIdentities.resourceId();
    }

    public String identityHeader() {
        return identityHeader;
    }

    /** The issuer of callers' tokens in the default tenant, as the app's token validation expects it. */
    public String entraIssuer() {
        return entra.issuer(defaultTenantId());
    }

    public String entraJwksUri() {
        return entra.jwksUri(defaultTenantId());
    }

    public String entraAudience() {
        return EntraIssuer.DEFAULT_AUDIENCE;
    }

    /** A caller's bearer token with these app roles, from the default tenant, for the app's audience. */
    public String callerToken(java.time.Duration lifetime, String... roles) {
        return entra.callerToken(
                        defaultTenantId(),
                        EntraIssuer.DEFAULT_AUDIENCE,
                        UUID.randomUUID().toString(),
                        UUID.randomUUID().toString(),
                        List.of(roles),
                        lifetime)
                .accessToken();
    }

    public Path caCertificatePemPath() {
        return certificate.pemPath();
    }

    public Path pkcs12Path() {
        return certificate.pkcs12Path();
    }

    public String defaultTenantId() {
        return directory.defaultTenantId();
    }

    /** Object (principal) id of the app's own system-assigned identity. */
    public String appPrincipalId() {
        return directory.systemIdentity().principalId();
    }

    // The Java API below does what the admin API does, without HTTP (used by EmulatorMain's demo).

    /** Creates or replaces a vault's settings ({@code tenantId} null: the default tenant). */
    public VaultInfo putVault(
            String name,
            String tenantId,
            boolean softDelete,
            boolean purgeProtection,
            int retentionDays,
            boolean firewall) {
        VaultSettings settings = new VaultSettings(
                tenantId == null ? defaultTenantId() : tenantId, softDelete, purgeProtection, retentionDays, firewall);
        return vaults.put(name, current -> Optional.of(settings)).info();
    }

    public void grant(String vault, String principalId, String... keyPermissions) {
        vault(vault).grant(principalId, Set.of(keyPermissions));
    }

    /** Creates a key (or a new version) and answers its versioned kid. */
    public String createKey(String vault, String key, String kty, int size) {
        Vault target = vault(vault);
        return target.kid(vaults.operations(target).create(key, KeySpec.of(kty, size)));
    }

    public IdentityInfo createIdentity(String name, String tenantId) {
        return directory.put(name, tenantId);
    }

    public List<IdentityInfo> identities() {
        return directory.all();
    }

    private Vault vault(String name) {
        return vaults.find(name).orElseThrow(() -> new IllegalArgumentException("Vault '" + name + "' not found"));
    }
}
