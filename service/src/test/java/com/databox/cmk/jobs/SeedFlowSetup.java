package com.databox.cmk.jobs;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import java.net.URL;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the seed flow scripts of the official Data Box clients (Python, JavaScript) are given: a
 * new subscription, resource group and job name, a user-assigned identity with two vaults it may
 * use (a second version of the first vault's key, a weak key there), and a caller token.
 */
record SeedFlowSetup(
        IdentityInfo identity,
        CustomerKeyVault vaultA,
        String keyV2,
        CustomerKeyVault vaultB,
        String weakKey,
        String subscription,
        String resourceGroup,
        String job) {

    static SeedFlowSetup create(String prefix) {
        IdentityInfo identity = CustomerKeyVault.newIdentity();
        CustomerKeyVault vaultA = CustomerKeyVault.create(identity);
        String keyV2 = vaultA.newVersion();
        CustomerKeyVault vaultB = CustomerKeyVault.create(identity);
        String weakKey = vaultA.newKey("RSA", 1024);
        String subscription = UUID.randomUUID().toString();
        ArmJobs.grantJobs(LocalStack.CALLER_OID, subscription);
        return new SeedFlowSetup(
                identity,
                vaultA,
                keyV2,
                vaultB,
                weakKey,
                subscription,
                "rg-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8),
                prefix + "_job." + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The scripts' common environment, {@code app} being the running app's URL. */
    Map<String, String> environment(URL app) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABOX_BASE_URL", app.toString().replaceAll("/+$", "") + "/api");
        env.put("DATABOX_SUBSCRIPTION", subscription);
        env.put("DATABOX_RESOURCE_GROUP", resourceGroup);
        env.put("DATABOX_JOB_NAME", job);
        env.put("DATABOX_TOKEN", LocalStack.callerToken(LocalStack.ALL_ROLES));
        env.put(
                "DATABOX_TOKEN_EXPIRES_ON",
                Long.toString(Instant.now().plusSeconds(3600).getEpochSecond()));
        env.put("EMULATOR_ADMIN_URL", EmulatorTestSupport.shared().adminUrl());
        env.put("VAULT_A_NAME", vaultA.name());
        env.put("VAULT_A_ID", vaultA.resourceId());
        env.put("KEY_A_V1", vaultA.keyUrl());
        env.put("KEY_A_V2", keyV2);
        env.put("VAULT_B_ID", vaultB.resourceId());
        env.put("KEY_B", vaultB.keyUrl());
        env.put("UAI_ID", identity.resourceId());
        env.put("WEAK_KEY", weakKey);
        return env;
    }
}
