package com.databox.cmk.testing;

import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.KeyVaultEmulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import java.util.Map;

/**
 * The app's dependencies for {@code @QuarkusTest}s: Azurite and the Key Vault emulator, with
 * the service vault and its Microsoft-managed key, which the app's own identity may use.
 */
public class LocalStack implements QuarkusTestResourceLifecycleManager {
    public static final String SERVICE_VAULT = "databox-service-test";
    public static final String MICROSOFT_KEY = "databox-mmk";
    /** Low, so that a test can pass it cheaply. */
    public static final int USER_ASSIGNED_LIMIT = 3;
    /**
     * The Key Vault client timeout of the test app (production: 10 s): short, so that the fault
     * tests can outlast every retry of a delayed call in seconds, yet far above any healthy call.
     */
    public static final java.time.Duration KEYVAULT_TIMEOUT = java.time.Duration.ofSeconds(4);
    /**
     * The edge's limits in the test app (production: 10 s, 128, 30 s, 5 s): short, so that the
     * slow-client and deadline tests pass them in seconds, far above what a healthy request needs
     * (a loaded machine's first request, cold, once spent more than 12 s on Key Vault).
     */
    public static final java.time.Duration BODY_TIMEOUT = java.time.Duration.ofSeconds(5);

    public static final int MAX_IN_FLIGHT = 50;
    public static final java.time.Duration KEYVAULT_REQUEST_DEADLINE = java.time.Duration.ofSeconds(20);
    public static final java.time.Duration KEYVAULT_MAX_RETRY_AFTER = java.time.Duration.ofSeconds(1);

    public static final String[] ALL_ROLES = {
        "Orders.Read", "Orders.Write", "Encryption.Manage", "Credentials.Read", "Audit.Run"
    };

    private static String microsoftKeyUrl;

    @Override
    public Map<String, String> start() {
        SeenSecrets.startFresh();
        Azurite azurite = Azurite.shared();
        KeyVaultEmulator emulator = EmulatorTestSupport.shared();
        String keyUrl = serviceKey(emulator);
        // Every request of the tests carries a caller holding all the service's roles, unless a
        // test sets its own Authorization header (see the authorization tests).
        String token = EmulatorTestSupport.admin().callerToken(ALL_ROLES);
        RestAssured.replaceFiltersWith((request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + token);
            }
            return context.next(request, response);
        });
        return Map.ofEntries(
                Map.entry("mp.jwt.verify.issuer", emulator.entraIssuer()),
                Map.entry("mp.jwt.verify.publickey.location", emulator.entraJwksUri()),
                Map.entry("mp.jwt.verify.audiences", emulator.entraAudience()),
                Map.entry("cmk.storage.connection-string", azurite.connectionString()),
                Map.entry("cmk.microsoft-key.url", keyUrl),
                Map.entry("cmk.keyvault.allowed-local-hosts", "127.0.0.1"),
                Map.entry(
                        "cmk.keyvault.trusted-certificate",
                        emulator.caCertificatePemPath().toString()),
                Map.entry("cmk.keyvault.retry-delay", "PT0.05S"),
                // The production identity directory, against the emulator's Azure Resource Manager.
                Map.entry("cmk.identity.arm.endpoint", emulator.armUrl()),
                Map.entry("cmk.identity.arm.subscription-id", emulator.subscriptionId()),
                Map.entry("cmk.identity.arm.resource-group", emulator.resourceGroup()),
                Map.entry("cmk.identity.arm.location", emulator.location()),
                Map.entry("cmk.identity.arm.function-app-resource-id", emulator.functionAppResourceId()),
                Map.entry(
                        "cmk.identity.arm.trusted-certificate",
                        emulator.caCertificatePemPath().toString()),
                Map.entry("cmk.identity.arm.retry-delay", "PT0.05S"),
                Map.entry("cmk.keyvault.timeout", KEYVAULT_TIMEOUT.toString()),
                Map.entry("cmk.keyvault.request-deadline", KEYVAULT_REQUEST_DEADLINE.toString()),
                Map.entry("cmk.keyvault.max-retry-after", KEYVAULT_MAX_RETRY_AFTER.toString()),
                Map.entry("cmk.http.body-timeout", BODY_TIMEOUT.toString()),
                Map.entry("cmk.http.max-in-flight", Integer.toString(MAX_IN_FLIGHT)),
                Map.entry("cmk.identity.user-assigned-limit", Integer.toString(USER_ASSIGNED_LIMIT)));
    }

    @Override
    public void stop() {
        // Azurite and the emulator live as long as the test JVM: other test classes reuse them.
        // What the app wrote to history so far, for SecretLeakTest (the last stop writes it all).
        SeenSecrets.dumpHistory(Azurite.shared().connectionString());
    }

    /** The service's own (Microsoft-managed) key, as the app is configured with it. */
    public static synchronized String microsoftKeyUrl() {
        return serviceKey(EmulatorTestSupport.shared());
    }

    private static synchronized String serviceKey(KeyVaultEmulator emulator) {
        if (microsoftKeyUrl == null) {
            EmulatorAdminClient admin = EmulatorTestSupport.admin();
            var vault = admin.createVault(SERVICE_VAULT, emulator.defaultTenantId(), true, true, 90, false);
            admin.createKey(SERVICE_VAULT, MICROSOFT_KEY, "RSA", 3072);
            admin.grant(SERVICE_VAULT, emulator.appPrincipalId(), "get", "wrapKey", "unwrapKey");
            microsoftKeyUrl = vault.vaultUrl() + "/keys/" + MICROSOFT_KEY;
        }
        return microsoftKeyUrl;
    }
}
