package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.LocalStack;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.spi.resolver.ResolverProvider;
import org.junit.jupiter.api.Test;

/**
 * The service resolves host names with Vert.x's own resolver (quarkus.vertx.use-async-dns), whose
 * failures say whether the name server failed or the name does not exist (VaultNameResolutionTest):
 * with the JDK's, Quarkus switches it off for the whole JVM. The names are resolved as given
 * ({@link HostNamesAsGiven}, which Quarkus applies to the app's Vert.x options).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class AsyncDnsTest {

    @Test
    void theAppLeavesVertxItsOwnResolver() {
        assertThat(System.getProperty(ResolverProvider.DISABLE_DNS_RESOLVER_PROP_NAME))
                .as("Vert.x's own resolver switched off by the app")
                .isNull();
    }

    @Test
    void theAppsVertxOptionsAreCustomisedToResolveNamesAsGiven() {
        assertThat(Arc.container().listAll(VertxOptionsCustomizer.class))
                .map(handle -> handle.get())
                .hasAtLeastOneElementOfType(HostNamesAsGiven.class);
    }
}
