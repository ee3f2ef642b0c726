package com.databox.cmk.testing;

import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.emulator.keyvault.VaultRegistry;
import com.databox.cmk.order.Caller;
import com.databox.cmk.order.TenantId;
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
        grantDefaultCaller();
        com.fasterxml.jackson.databind.node.ObjectNode tokenRequest =
                com.databox.cmk.emulator.http.Json.object().put("oid", CALLER_OID);
        java.util.Arrays.stream(ALL_ROLES).forEach(tokenRequest.putArray("roles")::add);
        String token = EmulatorTestSupport.admin().callerToken(tokenRequest);
        RestAssured.replaceFiltersWith((request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + token);
            }
            return context.next(request, response);
        });
        return Map.ofEntries(
                // Every tenant the emulator's issuer serves, each checked against its own issuer and keys.
                Map.entry("cmk.callers.allowed-tenants", "*"),
                Map.entry(
                        "cmk.callers.issuer-template",
                        emulator.entraIssuer().replace(emulator.defaultTenantId(), "{tenantid}")),
                Map.entry(
                        "cmk.callers.jwks-template",
                        emulator.entraJwksUri().replace(emulator.defaultTenantId(), "{tenantid}")),
                Map.entry("mp.jwt.verify.publickey.location", emulator.entraJwksUri()),
                Map.entry("mp.jwt.verify.audiences", emulator.entraAudience()),
                Map.entry("cmk.storage.connection-string", azurite.connectionString()),
                Map.entry("cmk.microsoft-key.url", keyUrl),
                Map.entry("cmk.keyvault.allowed-local-hosts", "127.0.0.1:" + VaultRegistry.PORTS),
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
                // Keys in another tenant: the emulator's Entra ID token endpoint exchanges client assertions.
                Map.entry("cmk.identity.cross-tenant.authority-host", emulator.entraAuthorityHost()),
                Map.entry(
                        "cmk.identity.cross-tenant.trusted-certificate",
                        emulator.caCertificatePemPath().toString()),
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

    /** The object ID of the tests' default caller, a user of the emulator's default tenant. */
    public static final String CALLER_OID = "c0ffee00-0000-4000-8000-00000000ca11";

    private static boolean callerGranted;

    /** The emulator's default tenant: that of the default caller, the vaults and identities the tests make. */
    public static TenantId tenant() {
        return new TenantId(EmulatorTestSupport.shared().defaultTenantId());
    }

    /**
     * A token of the default caller (its object ID, so its Azure role: it may attach the tests'
     * identities) holding only {@code roles} of the service's app roles.
     */
    public static String callerToken(String... roles) {
        grantDefaultCaller();
        com.fasterxml.jackson.databind.node.ObjectNode request =
                com.databox.cmk.emulator.http.Json.object().put("oid", CALLER_OID);
        java.util.Arrays.stream(roles).forEach(request.putArray("roles")::add);
        return EmulatorTestSupport.admin().callerToken(request);
    }

    /** The default caller, as the services see it; it may assign every identity of the emulator's group. */
    public static Caller caller() {
        grantDefaultCaller();
        return new Caller(tenant(), CALLER_OID, "oid:" + CALLER_OID);
    }

    /**
     * The default caller is Managed Identity Operator on the emulator's resource group, as a customer's
     * administrator is on their own: it may attach the identities the tests create (issue 12).
     */
    public static synchronized void grantDefaultCaller() {
        if (!callerGranted) {
            KeyVaultEmulator emulator = EmulatorTestSupport.shared();
            EmulatorTestSupport.admin()
                    .assignRole(
                            CALLER_OID,
                            "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/"
                                    + emulator.resourceGroup(),
                            "Managed Identity Operator");
            callerGranted = true;
        }
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
