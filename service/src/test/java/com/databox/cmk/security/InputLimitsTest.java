package com.databox.cmk.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Oversized and overly deep bodies are refused in the contract's shape, and create nothing. */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class InputLimitsTest {

    private static String name() {
        return "l-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static void assertRefusedAndNothingCreated(String name, Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.<String>path("error.code")).isEqualTo("InvalidRequest");
        given().get("/api/orders/{name}", name).then().statusCode(404);
    }

    @Test
    void refusesABodyLargerThan64KiBWith413() {
        String name = name();
        String body = "{\"location\":\"westus\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertRefusedAndNothingCreated(
                name, given().contentType(ContentType.JSON).body(body).put("/api/orders/{name}", name), 413);
    }

    @Test
    void refusesDeeplyNestedJson() {
        String name = name();
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        String body = "{\"location\":\"westus\",\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":"
                + deep + "}}";
        assertRefusedAndNothingCreated(
                name, given().contentType(ContentType.JSON).body(body).put("/api/orders/{name}", name), 400);
    }

    @Test
    void refusesOverlongStrings() {
        String name = name();
        String body = "{\"location\":\"" + "w".repeat(10_000) + "\"}";
        assertRefusedAndNothingCreated(
                name, given().contentType(ContentType.JSON).body(body).put("/api/orders/{name}", name), 400);
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", "o" + "x".repeat(300))
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"));
    }
}
