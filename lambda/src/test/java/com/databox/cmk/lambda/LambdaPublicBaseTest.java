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
 * Without PublicBaseUrl (the template's default), the URLs the function hands out start with the domain API
 * Gateway names in the event, never with the client's {@code Host}: they started with the local run's
 * {@code http://127.0.0.1:7071} (bug bash lp1 F1). The mock event server names no domain: raw events here.
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaPublicBaseTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DOMAIN = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";

    @Test
    void aCreatedOrdersLocationStartsWithTheGatewaysDomainNotTheForgedHost() throws IOException {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);

        JsonNode created =
                LambdaScheduleEventsTest.invoke(event("PUT", "/api/orders/" + order, "", "{\"location\":\"westus\"}")
                        .toString());

        assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(201);
        assertThat(header(created, "Location")).isEqualTo("https://" + DOMAIN + "/api/orders/" + order);
    }

    @Test
    void aListsNextLinkStartsWithTheGatewaysDomainNotTheForgedHost() throws IOException {
        for (int i = 0; i < 2; i++) {
            String order = "o-" + UUID.randomUUID().toString().substring(0, 12);
            JsonNode created = LambdaScheduleEventsTest.invoke(
                    event("PUT", "/api/orders/" + order, "", "{\"location\":\"westus\"}")
                            .toString());
            assertThat(created.path("statusCode").asInt())
                    .as(created.toString())
                    .isEqualTo(201);
        }

        JsonNode listed = LambdaScheduleEventsTest.invoke(
                event("GET", "/api/orders", "top=1", null).toString());

        assertThat(listed.path("statusCode").asInt()).as(listed.toString()).isEqualTo(200);
        String nextLink =
                JSON.readTree(listed.path("body").asText()).path("nextLink").asText();
        assertThat(nextLink).startsWith("https://" + DOMAIN + "/api/orders?top=1&$skipToken=");
    }

    /**
     * A named stage's segment stays in the path API Gateway hands over; the routes start at {@code /api}: every
     * request through a named stage was {@code 404} (review rv15 F3). Its {@code Location} goes through the stage.
     */
    @Test
    void aNamedStagesRequestIsServedAndItsLocationGoesThroughTheStage() throws IOException {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);
        ObjectNode put = event("PUT", "/prod/api/orders/" + order, "", "{\"location\":\"westus\"}");
        ((ObjectNode) put.path("requestContext")).put("stage", "prod");

        JsonNode created = LambdaScheduleEventsTest.invoke(put.toString());

        assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(201);
        assertThat(header(created, "Location")).isEqualTo("https://" + DOMAIN + "/prod/api/orders/" + order);
        ObjectNode get = event("GET", "/prod/api/orders/" + order, "", null);
        ((ObjectNode) get.path("requestContext")).put("stage", "prod");
        assertThat(LambdaScheduleEventsTest.invoke(get.toString())
                        .path("statusCode")
                        .asInt())
                .isEqualTo(200);
    }

    /** An API Gateway v2 event as its HTTP API sends it, with a client's forged {@code Host}. */
    static ObjectNode event(String method, String path, String query, String body) {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", "$default")
                .put("rawPath", path)
                .put("rawQueryString", query)
                .put("isBase64Encoded", false);
        event.putObject("headers")
                .put("authorization", "Bearer " + LambdaStack.callerToken)
                .put("content-type", "application/json")
                .put("host", "attacker.example");
        ObjectNode context = event.putObject("requestContext")
                .put("domainName", DOMAIN)
                .put("domainPrefix", "a1b2c3d4e5")
                .put("requestId", UUID.randomUUID().toString())
                .put("routeKey", "$default")
                .put("stage", "$default");
        context.putObject("http")
                .put("method", method)
                .put("path", path)
                .put("protocol", "HTTP/1.1")
                .put("sourceIp", "127.0.0.1");
        if (body != null) {
            event.put("body", body);
        }
        return event;
    }

    static String header(JsonNode response, String name) {
        var names = response.path("headers").fieldNames();
        while (names.hasNext()) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return response.path("headers").path(candidate).asText();
            }
        }
        return null;
    }
}
