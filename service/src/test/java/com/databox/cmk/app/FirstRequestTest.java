package com.databox.cmk.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.keyvault.KeyVaultClients;
import com.databox.cmk.storage.TableOrders;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 (start-up): the clients built on first use (credentials, Key Vault) are built once and
 * kept. That a listing builds none of them is {@link ServiceBeansTest}'s: this app is shared with
 * the other test classes, which may have built them already.
 */
@QuarkusTest
class FirstRequestTest {
    @Inject
    BeanManager beans;

    @Test
    void aListingAnswersAndTheKeyVaultClientsAreBuiltOnceOnFirstUse() {
        given().queryParam("top", 1).get("/api/orders").then().statusCode(200);
        assertThat(existing(TableOrders.class)).isNotNull();

        // An order wrapped by the Microsoft-managed key: Key Vault, with the service's own credential.
        create().then().statusCode(201);
        Object credentials = existing(ManagedIdentityCredentials.class);
        Object clients = existing(KeyVaultClients.class);
        assertThat(credentials).isNotNull();
        assertThat(clients).isNotNull();

        create().then().statusCode(201);
        given().queryParam("top", 1).get("/api/orders").then().statusCode(200);
        assertThat(existing(ManagedIdentityCredentials.class)).isSameAs(credentials);
        assertThat(existing(KeyVaultClients.class)).isSameAs(clients);
    }

    private static io.restassured.response.Response create() {
        return given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put(
                        "/api/orders/{name}",
                        "first-" + UUID.randomUUID().toString().substring(0, 12));
    }

    /** The application-scoped instance of {@code type}, or null when none is built yet (it builds none). */
    private Object existing(Class<?> type) {
        Bean<?> bean = beans.resolve(beans.getBeans(type));
        return beans.getContext(ApplicationScoped.class).get(bean);
    }
}
