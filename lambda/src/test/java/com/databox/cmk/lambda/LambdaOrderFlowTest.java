package com.databox.cmk.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.databox.cmk.emulator.identity.IdentityInfo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The customer-managed-key flow through the Lambda handler: every request below goes to Quarkus'
 * mock Lambda event server, which turns it into an API Gateway HTTP API (payload v2) event and
 * hands it to the function, as Lambda does; the app reaches the emulator's Key Vault and ARM with
 * the client-assertion credential, and Azurite's tables.
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaOrderFlowTest {

    @Test
    void requestsArriveAsApiGatewayEventsThroughTheMockEventServer() {
        assertThat(RestAssured.port)
                .as("REST Assured talks to the mock Lambda event server")
                .isEqualTo(ConfigProvider.getConfig()
                        .getValue("quarkus.lambda.mock-event-server.test-port", Integer.class));
    }

    @Test
    void createEnableChangeKeyRevertKeepsTheDevicePassword() {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", order)
                .then()
                .statusCode(201)
                .body("keyEncryptionKey.kekType", equalTo("MicrosoftManaged"));
        String password = listCredentials(order);

        Customer customer = enableCustomerKey(order);
        assertThat(LambdaStack.admin().requests(customer.vault()).of("wrapKey"))
                .as("wrapKey calls to the customer vault")
                .isPositive();
        assertThat(listCredentials(order)).isEqualTo(password);

        var admin = LambdaStack.admin();
        String vault = customer.vault();
        var info = customer.info();
        String newVersion = admin.createKey(vault, "cmk", "RSA", 3072);
        given().contentType(ContentType.JSON)
                .body(Map.of("kekUrl", newVersion, "kekVaultResourceID", info.resourceId()))
                .post("/api/orders/{name}/encryption/change-key", order)
                .then()
                .statusCode(200)
                .body("keyEncryptionKey.kekUrl", equalTo(newVersion));
        assertThat(listCredentials(order)).isEqualTo(password);

        given().post("/api/orders/{name}/encryption/use-microsoft-key", order)
                .then()
                .statusCode(200)
                .body("keyEncryptionKey.kekType", equalTo("MicrosoftManaged"));
        assertThat(listCredentials(order))
                .as("the password generated at creation")
                .isEqualTo(password);
    }

    @Test
    void callersWithoutATokenAreRefusedInTheContractsShape() {
        given().header("Authorization", "Bearer not-a-token")
                .get("/api/orders/{name}", "o-none")
                .then()
                .statusCode(401);
    }

    record Customer(String vault, com.databox.cmk.emulator.keyvault.VaultInfo info, String keyUrl) {}

    /** A customer's vault and key, a user-assigned identity with access to it, attached to the order and enabled. */
    static Customer enableCustomerKey(String order) {
        String vault = "v" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        var admin = LambdaStack.admin();
        var info = admin.createVault(vault, LambdaStack.emulator().defaultTenantId(), true, true, 90, false);
        String keyUrl = admin.createKey(vault, "cmk", "RSA", 3072);
        IdentityInfo identity = admin.createIdentity(
                "uai-" + UUID.randomUUID(), LambdaStack.emulator().defaultTenantId());
        admin.grant(vault, identity.principalId(), "get", "wrapKey", "unwrapKey");

        given().contentType(ContentType.JSON)
                .body("{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + identity.resourceId() + "\":{}}}")
                .patch("/api/orders/{name}/identity", order)
                .then()
                .statusCode(200);

        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "kekUrl",
                        keyUrl,
                        "kekVaultResourceID",
                        info.resourceId(),
                        "identityProperties",
                        Map.of("type", "UserAssigned", "userAssigned", Map.of("resourceId", identity.resourceId()))))
                .post("/api/orders/{name}/encryption/enable", order)
                .then()
                .statusCode(200)
                .body("keyEncryptionKey.kekType", equalTo("CustomerManaged"))
                .body("keyEncryptionKey.kekUrl", equalTo(keyUrl));

        return new Customer(vault, info, keyUrl);
    }

    static String listCredentials(String order) {
        String password = given().post("/api/orders/{name}/listCredentials", order)
                .then()
                .statusCode(200)
                .extract()
                .path("devicePassword");
        assertThat(password).isNotBlank();
        return password;
    }
}
