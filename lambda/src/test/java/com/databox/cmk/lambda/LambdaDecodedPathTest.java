package com.databox.cmk.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * API Gateway's HTTP API hands the function the path decoded: a client's {@code %20} arrives as a space, which no
 * URI holds. Quarkus' Lambda handler failed on it with its own {@code 500 {"message":"Internal Server Error"}} (bug
 * bash lp1); the path is encoded again, and answered as Azure answers {@code %20} (the name's rules).
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaDecodedPathTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDecodedSpaceOrQuoteIsAnsweredAsAzureAnswersItsEscape() throws IOException {
        for (String[] paths : new String[][] {
            {"/api/orders/a b", "/api/orders/a%20b"},
            {"/api/orders/a\"b", "/api/orders/a%22b"},
            {"/api/orders/a<b>|é", "/api/orders/a%3Cb%3E%7C%C3%A9"}
        }) {
            JsonNode answered = LambdaScheduleEventsTest.invoke(
                    LambdaPublicBaseTest.event("GET", paths[0], "", null).toString());
            // The mock event server hands the path over as the client wrote it, as Azure's host does.
            JsonNode azure = JSON.readTree(given().urlEncodingEnabled(false)
                    .get(paths[1])
                    .then()
                    .extract()
                    .asString());

            assertThat(answered.path("statusCode").asInt())
                    .as(paths[0] + ": " + answered)
                    .isEqualTo(400);
            JsonNode error = JSON.readTree(answered.path("body").asText()).path("error");
            assertThat(error.path("code").asText()).as(answered.toString()).isEqualTo("InvalidRequest");
            assertThat(error).isEqualTo(azure.path("error"));
        }
    }

    @Test
    void theEncodingKeepsAPathsOwnCharactersAndEscapes() {
        assertThat(GatewayDecodedPath.encoded("/api/orders/o-1_a.b~c;d%2e")).isEqualTo("/api/orders/o-1_a.b~c;d%2e");
        assertThat(GatewayDecodedPath.encoded("/a b?c#d\\e")).isEqualTo("/a%20b%3Fc%23d%5Ce");
    }
}
