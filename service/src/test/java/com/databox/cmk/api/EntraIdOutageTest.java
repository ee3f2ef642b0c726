package com.databox.cmk.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.entra.EntraIssuerHandler;
import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Entra ID down for a caller's tenant is an outage, answered as the contract answers outages (503 with
 * Retry-After, on the /api routes and the Data Box management routes alike), not a refusal of the
 * token (401), which tells a valid token's holder to get another. A tenant Entra ID does not know is
 * still refused.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class EntraIdOutageTest {

    private static String tokenOf(String tenant) {
        ObjectNode request = Json.object()
                .put("tenantId", tenant)
                .put("oid", UUID.randomUUID().toString());
        request.putArray("roles").add("Orders.Read");
        return EmulatorTestSupport.admin().callerToken(request);
    }

    private static Response listOrders(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/orders");
    }

    @Test
    void entraIdDownAnswers503WithRetryAfterAndTheSameTokenPassesOnceItIsBack() throws InterruptedException {
        String tenant = UUID.randomUUID().toString();
        String token = tokenOf(tenant);
        EmulatorTestSupport.admin().injectFault(tenant, EntraIssuerHandler.SIGNING_KEYS, 503, 1, 6, 0);

        Response down = listOrders(token);
        assertThat(down.statusCode()).as(down.asString()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isEqualTo("6");
        assertThat(down.<String>path("error.code")).isEqualTo("IdentityProviderUnavailable");
        assertThat(down.<String>path("error.resolution")).contains("Retry");
        assertThat(down.header("WWW-Authenticate")).isNull();
        // Before the time it told, the service does not ask Entra ID again (which would now answer).
        Response early = listOrders(token);
        assertThat(early.statusCode()).as(early.asString()).isEqualTo(503);
        assertThat(Integer.parseInt(early.header("Retry-After"))).isBetween(1, 6);

        Thread.sleep(6_100);
        Response back = listOrders(token);
        assertThat(back.statusCode()).as(back.asString()).isEqualTo(200);
    }

    @Test
    void theDataBoxManagementRoutesAnswerTheOutageInArmsShape() {
        String tenant = UUID.randomUUID().toString();
        String token = tokenOf(tenant);
        EmulatorTestSupport.admin().injectFault(tenant, EntraIssuerHandler.SIGNING_KEYS, 500, 1, 0, 0);

        Response down = given().header("Authorization", "Bearer " + token)
                .queryParam("api-version", "2025-02-01")
                .get("/subscriptions/" + UUID.randomUUID() + "/providers/Microsoft.DataBox/jobs");

        assertThat(down.statusCode()).as(down.asString()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isEqualTo("5");
        assertThat(down.<String>path("error.code")).isEqualTo("IdentityProviderUnavailable");
        assertThat(down.<String>path("error.message")).isNotBlank();
    }

    @Test
    void aTenantEntraIdDoesNotKnowIsStillRefused() {
        String tenant = UUID.randomUUID().toString();
        EmulatorTestSupport.admin().injectFault(tenant, EntraIssuerHandler.SIGNING_KEYS, 400, 1, 0, 0);

        Response refused = listOrders(tokenOf(tenant));

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(401);
        assertThat(refused.<String>path("error.code")).isEqualTo("Unauthorized");
    }
}
