package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.HeadersAsWritten;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.RawHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Headers and query values as RFC 9110 allows clients to write them (the HTTP contract's bug bash, 2026-12-05:
 * F8, F9, F10, F13): what is well formed is understood, what asks for something else is refused in the
 * contract's shape and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class HeaderFormsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL app;

    private HttpRequest.Builder request(String path) {
        return new HeadersAsWritten(app).request(path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return HeadersAsWritten.send(request);
    }

    private HttpResponse<String> put(String name, String contentType) {
        return send(request("api/orders/" + name)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"westus\"}")));
    }

    private HttpResponse<String> get(String path, String accept) {
        return send(request(path).header("Accept", accept).GET());
    }

    private static JsonNode error(HttpResponse<String> answer) throws IOException {
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(answer.body()).path("error");
    }

    private static String newName() {
        return "hf-" + UUID.randomUUID().toString().substring(0, 12);
    }

    @Test
    void aJsonContentTypeWithSpaceBeforeItsParameterOrAQuotedCharsetIsJson() {
        for (String contentType : new String[] {
            "application/json ; charset=\"utf-8\"", "Application/JSON;Charset=UTF-8", "application/json;\tcharset=utf-8"
        }) {
            String name = newName();
            HttpResponse<String> created = put(name, contentType);
            assertThat(created.statusCode())
                    .as(contentType + ": " + created.body())
                    .isEqualTo(201);
        }
    }

    @Test
    void aJsonBodyDeclaredInAnotherCharsetIsRefusedAndNothingIsCreated() throws IOException {
        String name = newName();
        HttpResponse<String> refused = put(name, "application/json;charset=UTF-16");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);
        JsonNode error = error(refused);
        assertThat(error.path("code").asText()).isEqualTo("InvalidRequest");
        assertThat(error.path("target").asText()).isEqualTo("Content-Type");
        assertThat(error.path("message").asText()).contains("UTF-16");
        assertThat(get("api/orders/" + name, "application/json").statusCode()).isEqualTo(404);
        // Without a body there is nothing in a charset to refuse.
        HttpResponse<String> noBody = send(request("api/orders/" + name)
                .header("Content-Type", "application/json;charset=UTF-16")
                .GET());
        assertThat(noBody.statusCode()).as(noBody.body()).isEqualTo(404);
    }

    /** The routes' own negotiation names the header too (since 2026-12-06: target null). */
    @Test
    void aBodyOfAnotherTypeOrAnAcceptWithoutJsonIsRefusedNamingTheHeader() throws IOException {
        String name = newName();
        HttpResponse<String> refused = put(name, "text/plain");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);
        assertThat(error(refused).path("target").asText()).isEqualTo("Content-Type");
        assertThat(put(name, "application/json").statusCode()).isEqualTo(201);
        HttpResponse<String> unacceptable = get("api/orders/" + name, "application/xml");
        assertThat(unacceptable.statusCode()).as(unacceptable.body()).isEqualTo(406);
        assertThat(error(unacceptable).path("target").asText()).isEqualTo("Accept");
    }

    @Test
    void anAcceptThatGivesJsonTheWeightZeroIsAnswered406() throws IOException {
        String name = newName();
        assertThat(put(name, "application/json").statusCode()).isEqualTo(201);
        for (String refusing : new String[] {
            "application/json;q=0", "text/html, application/json; q=0.000", "*/*;q=0", "application/*;q=0, text/plain"
        }) {
            HttpResponse<String> answer = get("api/orders/" + name, refusing);
            assertThat(answer.statusCode()).as(refusing).isEqualTo(406);
            assertThat(error(answer).path("target").asText()).isEqualTo("Accept");
        }
        for (String accepting : new String[] {
            "application/json",
            "*/*;q=0, application/json",
            "application/json;q=0.5, text/html",
            "application/*",
            "text/html;q=0, */*"
        }) {
            assertThat(get("api/orders/" + name, accepting).statusCode())
                    .as(accepting)
                    .isEqualTo(200);
        }
    }

    /** The document negotiates its own format (JSON or YAML); the routes' rule is not its. */
    @Test
    void theOpenApiDocumentIsNotHeldToJson() {
        HttpResponse<String> document = get("q/openapi", "application/json;q=0, application/yaml");
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("openapi");
    }

    @Test
    void severalSpacesAfterBearerAreOne() {
        String token = HeadersAsWritten.bearer().substring("Bearer ".length());
        for (String authorization : new String[] {"Bearer  " + token, "bearer   " + token + " "}) {
            HttpResponse<String> answer = send(new HeadersAsWritten(app)
                    .anonymous("api/orders?top=1")
                    .header("Authorization", authorization)
                    .GET());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }

    /**
     * A bearer token is a JWT in compact form, base64url parts and two dots (RFC 7515, 7.1): the token's reader skipped
     * any other character, so the caller's token with a comma, a space or a '+' inside or after it was taken (review
     * rv15 F5), where Azure refuses a token that is not the one issued.
     */
    @Test
    void aTokenWithCharactersNoJwtHoldsIsRefused() {
        String token = HeadersAsWritten.bearer().substring("Bearer ".length());
        int firstDot = token.indexOf('.');
        for (String sent : new String[] {
            token + ",", token + ", x", token.substring(0, firstDot) + "+" + token.substring(firstDot), token + "=",
        }) {
            HttpResponse<String> answer = send(new HeadersAsWritten(app)
                    .anonymous("api/orders?top=1")
                    .header("Authorization", "Bearer " + sent)
                    .GET());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        }
    }

    @Test
    void aPagingParameterWithNoValueIsRefused() throws IOException {
        for (String query : new String[] {"top=", "$skipToken=", "top=1&$skipToken", "%24skipToken="}) {
            HttpResponse<String> answer = get("api/orders?" + query, "application/json");
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            JsonNode error = error(answer);
            assertThat(error.path("code").asText()).isEqualTo("InvalidRequest");
            assertThat(error.path("target").asText()).isIn("top", "$skipToken");
        }
        assertThat(get("api/orders?top=2", "application/json").statusCode()).isEqualTo(200);
    }

    /**
     * The routes read a parameter's name whatever its case, so the refusals compare names that way too: {@code
     * ?top=1&TOP=3} passed as two names and the first was taken, {@code ?TOP=} as absent (contract bash F1).
     */
    @Test
    void aParameterInAnotherCaseIsTheSameParameter() throws IOException {
        for (String query : new String[] {"top=1&TOP=3", "TOP=3&top=1", "TOP=", "$SKIPTOKEN=", "$top=1&$Top=2"}) {
            HttpResponse<String> answer = get("api/orders?" + query, "application/json");
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(error(answer).path("code").asText()).isEqualTo("InvalidRequest");
        }
        assertThat(get("api/orders?TOP=2", "application/json").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyWithAContentCodingIsRefused415AndNothingIsCreated() throws IOException {
        String name = newName();
        HttpResponse<String> refused = send(request("api/orders/" + name)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"westus\"}")));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);
        assertThat(error(refused).path("target").asText()).isEqualTo("Content-Encoding");
        assertThat(refused.headers().firstValue("Accept-Encoding")).hasValue("identity");
        assertThat(get("api/orders/" + name, "application/json").statusCode()).isEqualTo(404);

        HttpResponse<String> identity = send(request("api/orders/" + name)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "identity")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"westus\"}")));
        assertThat(identity.statusCode()).as(identity.body()).isEqualTo(201);
    }

    @Test
    void aTransferCodingOtherThanChunkedIsRefused501() {
        String name = newName();
        try (RawHttp http = RawHttp.connect(app.getPort())) {
            RawHttp.Answer answer = http.send(
                            "PUT /api/orders/" + name + " HTTP/1.1\r\nHost: 127.0.0.1:" + app.getPort()
                                    + "\r\nAuthorization: " + HeadersAsWritten.bearer()
                                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                                    + "15\r\n{\"location\":\"westus\"}\r\n0\r\n\r\n")
                    .read(Duration.ofSeconds(10));
            assertThat(answer.status()).as(answer.body()).isEqualTo(501);
            assertThat(answer.json().path("error").path("target").asText()).isEqualTo("Transfer-Encoding");
        }
        assertThat(get("api/orders/" + name, "application/json").statusCode()).isEqualTo(404);
    }

    @Test
    void aStringOverTheLimitIsRefusedNamingTheLimit() throws IOException {
        HttpResponse<String> refused = send(request("api/orders/" + newName())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"" + "w".repeat(8193) + "\"}")));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(error(refused).path("message").asText()).contains("longer than 8192 characters");
    }
}
