package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local profile of application.properties, with what the README's run command exports (scripts/run-local.sh, the
 * emulator's settings), passes every check the start makes: the test suite starts the test profile only, and the
 * local one is the README's and the benchmark's (review rv4 L5).
 */
class LocalProfileConfigurationUnitTest {

    @Test
    void theLocalProfileWithTheRunCommandsSettingsPassesTheStartChecks(@TempDir Path emulator) throws IOException {
        Path caCertificate = Files.writeString(emulator.resolve("emulator-ca.pem"), "a certificate");
        String subscription = "d47ab0c5-0000-4000-8000-00000000da7a";
        Map<String, String> runCommand = Map.ofEntries(
                Map.entry("EMULATOR_ADMIN_URL", "http://127.0.0.1:8180"),
                Map.entry("EMULATOR_CA_CERT", caCertificate.toString()),
                Map.entry("EMULATOR_ARM_URL", "https://127.0.0.1:33747"),
                Map.entry("EMULATOR_ENTRA_AUTHORITY_HOST", "https://127.0.0.1:43537"),
                Map.entry("EMULATOR_SUBSCRIPTION_ID", subscription),
                Map.entry("EMULATOR_RESOURCE_GROUP", "databox-local"),
                Map.entry("EMULATOR_LOCATION", "westus"),
                Map.entry(
                        "EMULATOR_FUNCTION_APP_ID",
                        "/subscriptions/" + subscription
                                + "/resourceGroups/databox-local/providers/Microsoft.Web/sites/databox-cmk-local"),
                Map.entry("EMULATOR_VAULT_PORTS", "20000-29999"),
                Map.entry(
                        "ENTRA_JWKS_URI",
                        "http://127.0.0.1:8180/entra/760c36cf-53f2-41de-bd68-90b6452c123f/discovery/v2.0/keys"),
                Map.entry("ENTRA_AUDIENCE", "api://databox-cmk"),
                Map.entry("CMK_MICROSOFT_KEY_URL", "https://127.0.0.1:26392/keys/databox-mmk"));
        URL properties = getClass().getClassLoader().getResource("application.properties");
        SmallRyeConfig local = new SmallRyeConfigBuilder()
                .withProfile("local")
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, 250))
                .withDefaultValues(runCommand)
                .withMapping(CmkConfig.class)
                .withValidateUnknown(false)
                .build();

        assertThat(ConfigurationCheck.problems(local.getConfigMapping(CmkConfig.class)))
                .isEmpty();
        assertThat(ConfigurationCheck.problems(local)).isEmpty();
    }
}
