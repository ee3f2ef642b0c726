package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review rv10: Quarkus's Lambda adapter looks the answer's type up as {@code Content-Type}, by that exact name in a
 * HashMap, and base64-encodes every body whose type it does not find (api/JsonContentType). Through the mock event
 * server REST Assured sees the decoded body either way, so no test held the raw output: these read it.
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaJsonAnswersAreTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"/api/orders/a;b=1", "/api/orders/o-absent-1", "/api/nothing-here", "/q/openapi"})
    void anAnswerIsSentAsTextWithItsContentType(String path) throws Exception {
        JsonNode output = invoke(path);
        assertThat(output.path("isBase64Encoded").asBoolean(false))
                .as(output.toString())
                .isFalse();
        assertThat(output.path("headers").has("Content-Type"))
                .as(output.toString())
                .isTrue();
    }

    @Test
    void aJsonAnswerIsTypedInTheContractsSpelling() throws Exception {
        JsonNode output = invoke("/api/orders/a;b=1");
        assertThat(output.path("statusCode").asInt()).as(output.toString()).isEqualTo(400);
        assertThat(output.path("headers").path("Content-Type").asText()).isEqualTo("application/json; charset=utf-8");
    }

    /** A GET of {@code path} as API Gateway's HTTP API event, through the mock event server: the function's output. */
    private static JsonNode invoke(String path) throws Exception {
        return LambdaScheduleEventsTest.invoke("""
                {"version":"2.0","routeKey":"$default","rawPath":"%1$s","rawQueryString":"",
                 "headers":{"host":"localhost","accept":"*/*"},
                 "requestContext":{"http":{"method":"GET","path":"%1$s","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},
                   "requestId":"rv10","stage":"$default","timeEpoch":0},
                 "isBase64Encoded":false}
                """.formatted(path));
    }
}
