package com.databox.cmk.lambda;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Headers as API Gateway hands them over, its lines joined with commas, through the mock event server: an
 * {@code If-Match} of empty lines only is refused as on Azure. It vanished, split by the Lambda handler, and the
 * change was made unconditionally (bug bash of 2026-12-06, Lambda F2).
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaGatewayHeadersTest {
    @Test
    void anIfMatchOfEmptyLinesOnlyIsRefusedAndChangesNothing() {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);
        String etag = given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", order)
                .then()
                .statusCode(201)
                .extract()
                .header("ETag");

        for (String empty : new String[] {",", " , ,"}) {
            given().contentType(ContentType.JSON)
                    .header("If-Match", empty)
                    .body("{\"type\":\"SystemAssigned\"}")
                    .patch("/api/orders/{name}/identity", order)
                    .then()
                    .statusCode(400)
                    .body("error.code", equalTo("InvalidRequest"))
                    .body("error.target", equalTo("If-Match"));
        }
        given().get("/api/orders/{name}", order).then().statusCode(200).header("ETag", etag);
        // A list with an ETag in it is read as on Azure.
        given().contentType(ContentType.JSON)
                .header("If-Match", ", " + etag)
                .body("{\"type\":\"SystemAssigned\"}")
                .patch("/api/orders/{name}/identity", order)
                .then()
                .statusCode(200);
    }

    /**
     * If-None-Match of empty lines only, as API Gateway joins them (","), is refused as on Azure (OrderIfNoneMatch:
     * "The If-None-Match header is empty", 400, target If-None-Match), as the If-Match of empty lines is: split by
     * the Lambda handler it reaches the app as no header, and a GET answers 200 where Azure answers 400.
     */
    @Test
    void anIfNoneMatchOfEmptyLinesOnlyIsRefusedAsOnAzure() {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", order)
                .then()
                .statusCode(201);

        given().header("If-None-Match", ",")
                .get("/api/orders/{name}", order)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"))
                .body("error.target", equalTo("If-None-Match"));
    }
}
