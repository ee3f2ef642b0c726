package com.databox.cmk.emulator;

import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.emulator.keyvault.VaultInfo;
import com.databox.cmk.emulator.keyvault.VaultRegistry;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as a process: {@code --port 8180} (default 8180), {@code --identity-header X}
 * (default random), {@code --cert-dir DIR} (default a temporary directory), {@code --tenant-id ID}
 * (default random), {@code --demo} and {@code --track-assignments} (tokens for a user-assigned identity
 * only while it is assigned to the function app). Prints {@code NAME=value} lines, then {@code EMULATOR_READY};
 * runs until killed.
 */
public final class EmulatorMain {

    private EmulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = 8180;
        String header = null;
        Path certDir = null;
        String tenant = null;
        boolean demo = false;
        boolean trackAssignments = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = port(value(args, ++i, "--port"));
                case "--identity-header" -> header = value(args, ++i, "--identity-header");
                case "--cert-dir" -> certDir = Path.of(value(args, ++i, "--cert-dir"));
                case "--tenant-id" -> tenant = value(args, ++i, "--tenant-id");
                case "--demo" -> demo = true;
                case "--track-assignments" -> trackAssignments = true;
                default -> usage("Unknown argument " + args[i]);
            }
        }
        KeyVaultEmulator emulator =
                KeyVaultEmulator.start(new EmulatorOptions(port, header, tenant, certDir, trackAssignments));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            emulator.close();
                            stopped.countDown();
                        },
                        "kv-emulator-stop"));
        print("EMULATOR_ADMIN_URL", emulator.adminUrl());
        print("IDENTITY_ENDPOINT", emulator.identityEndpoint());
        print("IDENTITY_HEADER", emulator.identityHeader());
        print(
                "EMULATOR_CA_CERT",
                emulator.caCertificatePemPath().toAbsolutePath().toString());
        print("EMULATOR_TENANT_ID", emulator.defaultTenantId());
        print("APP_PRINCIPAL_ID", emulator.appPrincipalId());
        print("EMULATOR_ARM_URL", emulator.armUrl());
        print("EMULATOR_ENTRA_AUTHORITY_HOST", emulator.entraAuthorityHost());
        print("EMULATOR_SUBSCRIPTION_ID", emulator.subscriptionId());
        print("EMULATOR_RESOURCE_GROUP", emulator.resourceGroup());
        print("EMULATOR_LOCATION", emulator.location());
        print("EMULATOR_FUNCTION_APP_ID", emulator.functionAppResourceId());
        print("EMULATOR_VAULT_PORTS", VaultRegistry.PORTS);
        print("ENTRA_ISSUER", emulator.entraIssuer());
        print("ENTRA_JWKS_URI", emulator.entraJwksUri());
        print("ENTRA_AUDIENCE", emulator.entraAudience());
        if (demo) {
            demo(emulator);
        }
        System.out.println("EMULATOR_READY");
        System.out.flush();
        stopped.await();
    }

    private static void demo(KeyVaultEmulator emulator) {
        VaultInfo service = emulator.putVault("databox-service", null, true, true, 90, false);
        emulator.createKey("databox-service", "databox-mmk", "RSA", 3072);
        emulator.grant("databox-service", emulator.appPrincipalId(), "get", "wrapKey", "unwrapKey");

        VaultInfo contoso = emulator.putVault("contoso", null, true, true, 90, false);
        String kek = emulator.createKey("contoso", "databox-kek", "RSA", 3072);
        IdentityInfo uai = emulator.createIdentity("uai-databox", null);
        emulator.grant("contoso", uai.principalId(), "get", "wrapKey", "unwrapKey");
        IdentityInfo noAccess = emulator.createIdentity("uai-no-access", null);

        print("CMK_MICROSOFT_KEY_URL", service.vaultUrl() + "/keys/databox-mmk");
        print("DEMO_VAULT_URL", contoso.vaultUrl());
        print("DEMO_VAULT_RESOURCE_ID", contoso.resourceId());
        print("DEMO_KEY_URL", kek);
        print("DEMO_IDENTITY_RESOURCE_ID", uai.resourceId());
        print("DEMO_IDENTITY_NO_ACCESS_RESOURCE_ID", noAccess.resourceId());
        // A caller holding every app role of the service, valid for a day, who is Managed Identity
        // Operator on the demo's resource group, as a customer's administrator is on their own: the
        // service lets a caller attach only identities it may assign itself (issue 12).
        EmulatorAdminClient admin = new EmulatorAdminClient(emulator.adminUrl());
        String callerOid = java.util.UUID.randomUUID().toString();
        admin.assignRole(
                callerOid,
                "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/" + emulator.resourceGroup(),
                "Managed Identity Operator");
        // And Contributor on the demo's subscription: a subscription's first Data Box job needs the caller's own
        // Microsoft.DataBox/jobs/write there, as ARM checks it.
        admin.assignRole(callerOid, "/subscriptions/" + emulator.subscriptionId(), "Contributor");
        com.fasterxml.jackson.databind.node.ObjectNode token = com.databox.cmk.emulator.http.Json.object()
                .put("oid", callerOid)
                .put("lifetimeSeconds", 86_400);
        for (String role :
                new String[] {"Orders.Read", "Orders.Write", "Encryption.Manage", "Credentials.Read", "Audit.Run"}) {
            token.withArray("roles").add(role);
        }
        print("DEMO_TOKEN", admin.callerToken(token));
    }

    private static final String USAGE =
            "use --port N, --identity-header X, --cert-dir DIR, --tenant-id ID, --demo, --track-assignments";

    /** Prints what is wrong and the usage line, and exits 2. */
    private static void usage(String problem) {
        System.err.println(problem + "; " + USAGE);
        System.exit(2);
    }

    /** A port number (0-65535; 0: any free port), or the usage line and exit 2. */
    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // The usage line below.
        }
        usage("--port " + value + " is no port number (0-65535)");
        return -1;
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            usage(flag + " needs a value");
        }
        return args[index];
    }

    private static void print(String name, String value) {
        System.out.println(name + "=" + value);
    }
}
