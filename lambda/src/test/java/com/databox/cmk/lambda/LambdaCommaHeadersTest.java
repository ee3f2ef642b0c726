package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A single-valued header with a comma inside reaches the app as sent, one line, as on Azure: Quarkus' Lambda
 * handler split it into several (bug bash lp1). Raw events: the mock event server splits the function's answer's
 * headers on commas too.
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaCommaHeadersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBearerTokenWithACommaIsNoTokenNotTwoAuthorizationHeaders() throws IOException {
        ObjectNode event = LambdaPublicBaseTest.event("GET", "/api/orders", "", null);
        ((ObjectNode) event.path("headers")).put("authorization", "Bearer a,b");

        JsonNode answered = LambdaScheduleEventsTest.invoke(event.toString());

        assertThat(answered.path("statusCode").asInt()).as(answered.toString()).isEqualTo(401);
    }

    @Test
    void aContentTypeWithACommaIsRefusedAsOnAzure() throws IOException {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);
        ObjectNode event = LambdaPublicBaseTest.event("PUT", "/api/orders/" + order, "", "{\"location\":\"westus\"}");
        ((ObjectNode) event.path("headers")).put("content-type", "application/json, text/plain");

        JsonNode answered = LambdaScheduleEventsTest.invoke(event.toString());

        assertThat(answered.path("statusCode").asInt()).as(answered.toString()).isEqualTo(415);
        assertThat(JSON.readTree(answered.path("body").asText())
                        .path("error")
                        .path("target")
                        .asText())
                .isEqualTo("Content-Type");
    }

    @Test
    void aClientRequestIdWithACommaIsEchoedWhole() throws IOException {
        ObjectNode event = LambdaPublicBaseTest.event("GET", "/api/orders", "top=1", null);
        ((ObjectNode) event.path("headers")).put("x-ms-client-request-id", "a,b");

        JsonNode answered = LambdaScheduleEventsTest.invoke(event.toString());

        assertThat(answered.path("statusCode").asInt()).as(answered.toString()).isEqualTo(200);
        assertThat(LambdaPublicBaseTest.header(answered, "x-ms-client-request-id"))
                .isEqualTo("a,b");
    }
}
