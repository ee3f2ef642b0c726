package com.databox.cmk.lambda;

import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorOptions;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.emulator.keyvault.VaultRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The Lambda app's dependencies for {@code @QuarkusTest}s: Azurite and the Key Vault emulator with
 * the service vault and key, and no managed-identity endpoint: the app reaches Key Vault and ARM
 * with the client-assertion credential, presenting a stand-in for the AWS-issued token (written to
 * a file, as the deployment keeps it) to the emulator's Entra authority.
 */
public class LambdaStack implements QuarkusTestResourceLifecycleManager {
    static final String SERVICE_VAULT = "databox-service-lambda";
    static final String[] ALL_ROLES = {
        "Orders.Read", "Orders.Write", "Encryption.Manage", "Credentials.Read", "Audit.Run"
    };

    private static KeyVaultEmulator emulator;
    private static EmulatorAdminClient admin;

    /** One emulator for the test JVM's Quarkus tests (identities and tokens must outlive each app start). */
    static synchronized KeyVaultEmulator emulator() {
        if (emulator == null) {
            // Assignments tracked: a token is minted only for identities the app made usable (ARM).
            emulator = KeyVaultEmulator.start(
                    new EmulatorOptions(0, "no-managed-identity-endpoint-here", null, null, true));
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "kv-emulator-stop"));
            admin = new EmulatorAdminClient(emulator.adminUrl());
        }
        return emulator;
    }

    static synchronized EmulatorAdminClient admin() {
        emulator();
        return admin;
    }

    /** The caller's bearer token the REST Assured filter adds, for tests that send raw API Gateway events. */
    static volatile String callerToken;

    @Override
    public Map<String, String> start() {
        KeyVaultEmulator kv = emulator();
        LambdaAzurite azurite = LambdaAzurite.shared();
        var vault = admin().createVault(SERVICE_VAULT, kv.defaultTenantId(), true, true, 90, false);
        admin().createKey(SERVICE_VAULT, "databox-mmk", "RSA", 3072);
        admin().grant(SERVICE_VAULT, kv.appPrincipalId(), "get", "wrapKey", "unwrapKey");
        // The caller may attach the identities the tests make, as a customer's administrator may (issue 12).
        String callerOid = java.util.UUID.randomUUID().toString();
        admin().assignRole(
                        callerOid,
                        "/subscriptions/" + kv.subscriptionId() + "/resourceGroups/" + kv.resourceGroup(),
                        "Managed Identity Operator");
        com.fasterxml.jackson.databind.node.ObjectNode tokenRequest =
                com.databox.cmk.emulator.http.Json.object().put("oid", callerOid);
        java.util.Arrays.stream(ALL_ROLES).forEach(tokenRequest.putArray("roles")::add);
        String token = admin().callerToken(tokenRequest);
        callerToken = token;
        RestAssured.replaceFiltersWith((request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + token);
            }
            return context.next(request, response);
        });
        String cert = kv.caCertificatePemPath().toString();
        return Map.ofEntries(
                Map.entry("cmk.callers.allowed-tenants", kv.defaultTenantId()),
                Map.entry("cmk.callers.issuer-template", kv.entraIssuer().replace(kv.defaultTenantId(), "{tenantid}")),
                Map.entry("cmk.callers.jwks-template", kv.entraJwksUri().replace(kv.defaultTenantId(), "{tenantid}")),
                Map.entry("mp.jwt.verify.issuer", kv.entraIssuer()),
                Map.entry("mp.jwt.verify.publickey.location", kv.entraJwksUri()),
                Map.entry("mp.jwt.verify.audiences", kv.entraAudience()),
                // Azurite takes OAuth only over HTTPS: Storage by connection string here (docs/DEPLOY-AWS-LAMBDA.md).
                Map.entry("cmk.storage.connection-string", azurite.connectionString()),
                Map.entry("cmk.microsoft-key.url", vault.vaultUrl() + "/keys/databox-mmk"),
                Map.entry("cmk.keyvault.allowed-local-hosts", "127.0.0.1:" + VaultRegistry.PORTS),
                Map.entry("cmk.keyvault.trusted-certificate", cert),
                Map.entry("cmk.identity.arm.endpoint", kv.armUrl()),
                Map.entry("cmk.identity.arm.subscription-id", kv.subscriptionId()),
                Map.entry("cmk.identity.arm.resource-group", kv.resourceGroup()),
                Map.entry("cmk.identity.arm.location", kv.location()),
                Map.entry("cmk.identity.arm.function-app-resource-id", kv.functionAppResourceId()),
                Map.entry("cmk.identity.arm.trusted-certificate", cert),
                Map.entry("cmk.identity.federation.tenant-id", kv.defaultTenantId()),
                Map.entry("cmk.identity.federation.client-id", kv.appClientId()),
                Map.entry("cmk.identity.federation.token-file", awsTokenFile().toString()),
                Map.entry("cmk.identity.federation.authority-host", kv.entraAuthorityHost()),
                Map.entry("cmk.identity.federation.trusted-certificate", cert));
    }

    @Override
    public void stop() {
        // Azurite and the emulator live as long as the test JVM.
    }

    /**
     * A stand-in for the AWS-issued web identity token: a JWT for Entra ID's token exchange audience,
     * naming the function's role as subject. The emulator checks its claims, not its signature.
     */
    static Path awsTokenFile() {
        try {
            Path file = Files.createTempFile("aws-web-identity-token", ".jwt");
            Files.writeString(
                    file, awsToken("api://AzureADTokenExchange", Instant.now().plusSeconds(3600)));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String awsToken(String audience, Instant expires) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"aws-test\"}";
        String claims = "{\"iss\":\"https://123456789012.tokens.sts.global.api.aws\","
                + "\"sub\":\"arn:aws:iam::123456789012:role/databox-cmk-function\","
                + "\"aud\":\"" + audience + "\",\"iat\":" + Instant.now().getEpochSecond()
                + ",\"exp\":" + expires.getEpochSecond() + "}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("not-checked-locally".getBytes(StandardCharsets.UTF_8));
    }
}
