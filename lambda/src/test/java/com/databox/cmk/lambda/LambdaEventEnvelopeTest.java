package com.databox.cmk.lambda;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Requests larger than the app's limit on one JSON string (8,192 characters), sent through the mock event
 * server as API Gateway events: the event that carries them is read whole, and the app answers them as on
 * Azure. Each failed before the app saw it, and API Gateway answered its own 500 (bug bash of 2026-12-06,
 * Lambda F0).
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaEventEnvelopeTest {
    private static String newName() {
        return "o-" + UUID.randomUUID().toString().substring(0, 12);
    }

    @Test
    void aBodyOverEightKibibytesWithinTheContractsLimitIsServed() {
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}" + " ".repeat(9_000))
                .put("/api/orders/{name}", newName())
                .then()
                .statusCode(201);
    }

    @Test
    void aBodyOverTheContractsLimitIsRefusedInTheContractsShape() {
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\",\"x\":\"" + "a".repeat(100_000) + "\"}")
                .put("/api/orders/{name}", newName())
                .then()
                .statusCode(413)
                .body("error.code", equalTo("InvalidRequest"));
    }

    @Test
    void aStringOverTheContractsLimitInABodyIsStillRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"" + "a".repeat(9_000) + "\"}")
                .put("/api/orders/{name}", newName())
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"));
    }

    @Test
    void aHeaderOverEightKibibytesIsRefusedInTheContractsShape() {
        given().header("x-big", "a".repeat(9_000))
                .get("/api/orders/{name}", newName())
                .then()
                .statusCode(431)
                .body("error.code", equalTo("InvalidRequest"));
    }
}
