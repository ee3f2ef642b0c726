package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.HeadersAsWritten;
import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code If-None-Match} (RFC 9110, 13.1.2) as the Azure SDKs send it (azure-core's {@code MatchConditions.IfMissing}
 * on a create, {@code IfModified} on a read), and a request with two {@code Authorization} headers (the HTTP
 * contract's bug bash, 2026-12-05, F17). Raw {@code java.net.http} requests, so headers go as written.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class ConditionalRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORDER = "{\"location\":\"westus\"}";

    @TestHTTPResource("/")
    URL app;

    private HttpRequest.Builder request(String path) {
        return new HeadersAsWritten(app).request(path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return HeadersAsWritten.send(request);
    }

    private HttpResponse<String> put(String name, String ifNoneMatch) {
        return send(request("api/orders/" + name)
                .header("Content-Type", "application/json")
                .header("If-None-Match", ifNoneMatch)
                .PUT(HttpRequest.BodyPublishers.ofString(ORDER)));
    }

    private HttpResponse<String> get(String name, String ifNoneMatch) {
        return send(request("api/orders/" + name)
                .header("If-None-Match", ifNoneMatch)
                .GET());
    }

    private HttpResponse<String> detachNothing(String name, String ifNoneMatch) {
        return send(request("api/orders/" + name + "/identity")
                .header("Content-Type", "application/json")
                .header("If-None-Match", ifNoneMatch)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"type\":\"SystemAssigned\"}")));
    }

    private String etagOf(String name) {
        HttpResponse<String> order = send(request("api/orders/" + name).GET());
        assertThat(order.statusCode()).as(order.body()).isEqualTo(200);
        return order.headers().firstValue("ETag").orElseThrow();
    }

    private static JsonNode error(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body()).path("error");
    }

    private static String newName() {
        return "cr-" + UUID.randomUUID().toString().substring(0, 12);
    }

    @Test
    void aReadOfAVersionTheClientHoldsIsNotModified() throws IOException {
        String name = newName();
        assertThat(put(name, "*").statusCode()).isEqualTo(201);
        String etag = etagOf(name);
        assertThat(etag).startsWith("W/\"");
        String strong = etag.substring(2);
        for (String held : new String[] {etag, "\"other\", " + etag, strong, "*"}) {
            HttpResponse<String> answer = get(name, held);
            assertThat(answer.statusCode()).as(held).isEqualTo(304);
            assertThat(answer.headers().firstValue("ETag")).as(held).hasValue(etag);
            assertThat(answer.body()).as(held).isEmpty();
        }
        HttpResponse<String> changed = get(name, "W/\"another version\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(changed.body()).path("name").asText()).isEqualTo(name);

        HttpResponse<String> empty = get(name, " ");
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(400);
        assertThat(error(empty).path("target").asText()).isEqualTo("If-None-Match");
        assertThat(get(newName(), "*").statusCode()).isEqualTo(404);
    }

    @Test
    void aCreateWithIfNoneMatchStarCreatesOnlyAnOrderThatDoesNotExist() throws IOException {
        String name = newName();
        HttpResponse<String> created = put(name, "*");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String etag = etagOf(name);

        HttpResponse<String> again = put(name, "*");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(412);
        JsonNode error = error(again);
        assertThat(error.path("code").asText()).isEqualTo("PreconditionFailed");
        assertThat(error.path("target").asText()).isEqualTo("If-None-Match");
        assertThat(etagOf(name)).isEqualTo(etag);
        // Without the header, the same PUT is the contract's 409.
        HttpResponse<String> plain = send(request("api/orders/" + name)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(ORDER)));
        assertThat(plain.statusCode()).isEqualTo(409);
    }

    @Test
    void aChangeToAVersionIfNoneMatchNamesIsRefusedAndChangesNothing() throws IOException {
        String name = newName();
        assertThat(put(name, "*").statusCode()).isEqualTo(201);
        String etag = etagOf(name);
        for (String named : new String[] {etag, "*", etag.substring(2)}) {
            HttpResponse<String> refused = detachNothing(name, named);
            assertThat(refused.statusCode()).as(named + ": " + refused.body()).isEqualTo(412);
            assertThat(error(refused).path("target").asText()).isEqualTo("If-None-Match");
            HttpResponse<String> revert = send(request("api/orders/" + name + "/encryption/use-microsoft-key")
                    .header("If-None-Match", named)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(revert.statusCode()).as(named).isEqualTo(412);
        }
        assertThat(etagOf(name)).isEqualTo(etag);

        HttpResponse<String> applied = detachNothing(name, "W/\"a version long gone\"");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(JSON.readTree(applied.body()).path("identity").path("type").asText())
                .isEqualTo("SystemAssigned");
        assertThat(etagOf(name)).isNotEqualTo(etag);
        // No order: the route's own answer, as RFC 9110 ignores the precondition then.
        assertThat(detachNothing(newName(), "*").statusCode()).isEqualTo(404);
    }

    @Test
    void aRequestWithTwoAuthorizationHeadersIsRefused() throws IOException {
        for (String[] lines : new String[][] {
            {HeadersAsWritten.bearer(), "Bearer not-a-token"}, {"Bearer not-a-token", HeadersAsWritten.bearer()}
        }) {
            HttpResponse<String> answer = send(new HeadersAsWritten(app)
                    .anonymous("api/orders?top=1")
                    .header("Authorization", lines[0])
                    .header("Authorization", lines[1])
                    .GET());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            JsonNode error = error(answer);
            assertThat(error.path("code").asText()).isEqualTo("InvalidRequest");
            assertThat(error.path("target").asText()).isEqualTo("Authorization");
        }
        assertThat(send(request("api/orders?top=1").GET()).statusCode()).isEqualTo(200);
    }
}
