package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Review rv15 F1: a client's two {@code Authorization} lines reach the function as API Gateway joins them, one value
 * {@code Bearer x,Bearer y}. docs/API.md: "A request with more than one Authorization header is refused, 400
 * InvalidRequest, target Authorization, on every route"; before GatewaySingleValuedHeaders it was (Quarkus' handler
 * split the value again); since, it answers 401 Unauthorized. A bearer credential holds no comma (RFC 6750, 2.1), so
 * a second scheme after one is a second line, not one malformed token.
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaTwoAuthorizationLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoAuthorizationLinesJoinedByApiGatewayAreRefusedAsTwoHeaders() throws IOException {
        String token = LambdaStack.callerToken;
        ObjectNode event = LambdaPublicBaseTest.event("GET", "/api/orders", "top=1", null);
        ((ObjectNode) event.path("headers")).put("authorization", "Bearer " + token + ",Bearer " + token);

        JsonNode answered = LambdaScheduleEventsTest.invoke(event.toString());

        assertThat(answered.path("statusCode").asInt()).as(answered.toString()).isEqualTo(400);
        JsonNode error = JSON.readTree(answered.path("body").asText()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("InvalidRequest");
        assertThat(error.path("target").asText()).isEqualTo("Authorization");
    }
}
