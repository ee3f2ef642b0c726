package com.databox.cmk.app;

import com.databox.cmk.sdkhttp.SdkHttpClients;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * The service's configuration as a unit test needs it: what has no default, plus the test's own
 * settings; and the storage clients it describes.
 */
public final class TestCmkConfigs {
    private static final Map<String, String> REQUIRED = Map.of(
            "cmk.callers.allowed-tenants",
            "*",
            "cmk.microsoft-key.url",
            "https://service.vault.azure.net/keys/mmk",
            "cmk.storage.connection-string",
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
                    + "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;"
                    + "QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            "cmk.identity.arm.subscription-id",
            "00000000-0000-0000-0000-000000000000",
            "cmk.identity.arm.resource-group",
            "rg",
            "cmk.identity.arm.location",
            "westus",
            "cmk.identity.arm.function-app-resource-id",
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/cmk");

    private TestCmkConfigs() {}

    /** {@code settings} over the required ones (storage unreachable: port 1). */
    public static CmkConfig with(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(REQUIRED);
        all.putAll(settings);
        return new SmallRyeConfigBuilder()
                .withMapping(CmkConfig.class)
                .withDefaultValues(all)
                .build()
                .getConfigMapping(CmkConfig.class);
    }

    /** The storage clients of {@code config}, reached by its connection string (no credential asked for). */
    static StorageClients storageClients(CmkConfig config, Vertx vertx) {
        return new StorageClients(
                config.storage(),
                SdkHttpClients.forStorage(vertx, config.storage().timeout()),
                () -> {
                    throw new AssertionError("a connection string needs no credential");
                });
    }
}
