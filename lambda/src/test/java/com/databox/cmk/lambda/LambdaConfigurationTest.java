package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * The Lambda app's effective configuration: the service jar's application.properties and this
 * module's are both read; this module's (ordinal 260) wins where both set a property, and every
 * other property is the service's.
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaConfigurationTest {

    @Test
    void bothApplicationPropertiesAreReadAndTheLambdaOneWins() {
        Config config = ConfigProvider.getConfig();
        List<ConfigSource> files = StreamSupport.stream(
                        config.getConfigSources().spliterator(), false)
                .filter(s -> s.getName().contains("application.properties"))
                .toList();
        ConfigSource service = files.stream()
                .filter(s -> s.getValue("quarkus.http.port") != null
                        && s.getValue("quarkus.http.port").contains("FUNCTIONS_CUSTOMHANDLER_PORT"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the service jar's file among " + files));
        ConfigSource lambda = files.stream()
                .filter(s -> s != service && s.getValue("databox.lambda.shard-drain-budget") != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the Lambda module's file among " + files));
        assertThat(lambda.getOrdinal()).isGreaterThan(service.getOrdinal());

        // Set by both files: the Lambda module's value is the effective one.
        assertThat(service.getValue("cmk.identity.arm.function-app-resource-id"))
                .contains("CMK_ARM_FUNCTION_APP_RESOURCE_ID");
        assertThat(lambda.getValue("cmk.identity.arm.function-app-resource-id")).contains("CMK_ARM_APP_RESOURCE_ID");
        assertThat(config.getConfigValue("cmk.storage.table-endpoint").getSourceName())
                .isEqualTo(lambda.getName());
        assertThat(config.getValue("cmk.audit.local-queue-dispatch", Boolean.class))
                .isFalse();
        assertThat(config.getValue("mp.openapi.servers", String.class)).isEqualTo("http://127.0.0.1:8080");

        // Only in the service's: kept as it is.
        assertThat(config.getValue("quarkus.jackson.fail-on-unknown-properties", Boolean.class))
                .isTrue();
        assertThat(config.getValue("smallrye.jwt.path.groups", String.class)).isEqualTo("roles");
        assertThat(config.getConfigValue("mp.jwt.verify.publickey.algorithm").getSourceName())
                .isEqualTo(service.getName());
        assertThat(config.getValue("quarkus.http.auth.proactive", Boolean.class))
                .isFalse();

        // API Gateway's integration timeout is 30 s: a request's vault and ARM calls end well before it.
        assertThat(config.getValue("cmk.keyvault.request-deadline", java.time.Duration.class))
                .isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(config.getConfigValue("cmk.keyvault.request-deadline").getSourceName())
                .isEqualTo(lambda.getName());

        // No managed-identity endpoint on Lambda: the client-assertion credential.
        assertThat(config.getValue("cmk.identity.credential", String.class)).isEqualTo("client-assertion");
        assertThat(config.getConfigValue("cmk.identity.credential").getSourceName())
                .isEqualTo(lambda.getName());
    }

    /** The template takes the served tenants as a parameter, as the Azure app takes them as a setting. */
    @Test
    void theTemplateServesTheTenantsItIsGivenNotOnlyTheServicesOwn() throws java.io.IOException {
        String template = java.nio.file.Files.readString(java.nio.file.Path.of("template.yaml"));
        assertThat(template).contains("\n  AllowedTenants:\n    Type: String\n");
        assertThat(template)
                .contains("CMK_ALLOWED_TENANTS: !Ref AllowedTenants")
                .doesNotContain("CMK_ALLOWED_TENANTS: !Ref AzureTenantId");
    }
}
