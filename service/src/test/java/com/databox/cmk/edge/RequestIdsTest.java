package com.databox.cmk.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.order.Guids;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every answer carries its request IDs as Azure Resource Manager's do (edge/RequestIds). */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class RequestIdsTest {
    @TestHTTPResource("/")
    URL app;

    private static Response listOrders(String... headers) {
        var request = given().header("Authorization", RawHttp.bearer());
        for (int i = 0; i < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
        }
        return request.get("/api/orders?top=1");
    }

    @Test
    void eachAnswerHasARequestIdOfItsOwnWhichAlsoCorrelatesWhenTheCallerSentNone() {
        Response first = listOrders();
        Response second = listOrders();

        assertThat(first.statusCode()).isEqualTo(200);
        String id = first.header("x-ms-request-id");
        assertThat(Guids.isGuid(id)).as(id).isTrue();
        assertThat(second.header("x-ms-request-id")).isNotEqualTo(id);
        assertThat(first.header("x-ms-correlation-request-id")).isEqualTo(id);
        assertThat(first.header("x-ms-client-request-id")).isNull();
    }

    @Test
    void theCallersCorrelationAndClientRequestIdsComeBack() {
        String correlation = "0F8FAD5B-D9CB-469F-A165-70867728950E";
        String clientRequestId = "az-cli 7c9e6679-7425-40de-944b-e07fc1f90ae7";

        Response answer =
                listOrders("x-ms-correlation-request-id", correlation, "x-ms-client-request-id", clientRequestId);

        assertThat(answer.header("x-ms-correlation-request-id")).isEqualTo(correlation);
        assertThat(answer.header("x-ms-client-request-id")).isEqualTo(clientRequestId);
        assertThat(answer.header("x-ms-request-id")).isNotEqualTo(correlation);
    }

    @Test
    void aCorrelationIdThatIsNoGuidIsNotEchoed() {
        Response answer = listOrders("x-ms-correlation-request-id", "<script>");

        assertThat(answer.header("x-ms-correlation-request-id")).isEqualTo(answer.header("x-ms-request-id"));
    }

    @Test
    void errorsAnsweredAtTheEdgeAndByTheApiCarryThemToo() {
        try (RawHttp http = RawHttp.connect(app.getPort())) {
            RawHttp.Answer tooLong = http.send("GET /api/orders/" + "o".repeat(4096)
                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + RawHttp.bearer() + "\r\n\r\n")
                    .read(Duration.ofSeconds(30));
            assertThat(tooLong.status()).isEqualTo(414);
            assertThat(Guids.isGuid(tooLong.headers().get("x-ms-request-id"))).isTrue();
        }
        try (RawHttp http = RawHttp.connect(app.getPort())) {
            RawHttp.Answer notPlain = http.send("GET /api/orders/%2e%2e HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                            + RawHttp.bearer() + "\r\n\r\n")
                    .read(Duration.ofSeconds(30));
            assertThat(notPlain.status()).isEqualTo(400);
            assertThat(Guids.isGuid(notPlain.headers().get("x-ms-request-id"))).isTrue();
        }
        try (RawHttp http = RawHttp.connect(app.getPort())) {
            RawHttp.Answer unauthenticated = http.send("GET /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .read(Duration.ofSeconds(30));
            assertThat(unauthenticated.status()).isEqualTo(401);
            assertThat(Guids.isGuid(unauthenticated.headers().get("x-ms-request-id")))
                    .isTrue();
        }
    }

    /**
     * bb84 F1: the IDs the customer holds (ARM's activity log shows the correlation ID, an SDK's error the client
     * request ID) find the request's log lines, on the order routes and the jobs routes.
     */
    @Test
    void theLogLinesOfARequestCarryTheCallersCorrelationAndClientRequestIds() {
        String correlation = UUID.randomUUID().toString();
        String clientRequestId = "client-" + UUID.randomUUID();
        String jobs = "/api/subscriptions/" + UUID.randomUUID()
                + "/resourceGroups/rg-ids/providers/Microsoft.DataBox/jobs/job-ids";

        for (String path : List.of("/api/orders/missing-ids", jobs + "?api-version=2025-02-01")) {
            Response refused = given().header("x-ms-correlation-request-id", correlation)
                    .header("x-ms-client-request-id", clientRequestId)
                    .get(path);

            assertThat(refused.statusCode()).as(path).isEqualTo(404);
            assertThat(RefusedRequestsLoggedTest.refusalsOf(refused.header("x-ms-request-id")))
                    .as(path)
                    .singleElement()
                    .satisfies(line -> assertThat(line)
                            .contains(refused.header("x-ms-request-id") + " " + correlation + " " + clientRequestId));
        }
    }

    @Test
    void aRequestWithoutCallerIdsIsLoggedWithTheCorrelationIdItWasAnswered() {
        Response refused =
                given().header("x-ms-correlation-request-id", "not-a-guid").get("/api/orders/missing-ids");

        String requestId = refused.header("x-ms-request-id");
        assertThat(RefusedRequestsLoggedTest.refusalsOf(requestId))
                .singleElement()
                .satisfies(line -> assertThat(line).contains(requestId + " " + requestId + "  Refused"));
    }

    /**
     * bug bash ob1 F4: any caller, before its token is checked, sent a client request ID that wrote what read as
     * another tenant's ERROR after the IDs. In the log it is quoted and escaped unless it is one plain word; the
     * answer echoes it as sent.
     */
    @Test
    void aClientRequestIdThatCouldForgeLogTextIsQuotedInTheLogAndEchoedAsSent() {
        String forged = "- ERROR Internal error in POST /api/orders/o1/listCredentials (tenant " + UUID.randomUUID()
                + "): \"forged\" \\ by an anonymous caller";

        Response refused = given().header("x-ms-client-request-id", forged).get("/api/orders/forged");

        assertThat(refused.statusCode()).isBetween(400, 499);
        assertThat(refused.header("x-ms-client-request-id")).isEqualTo(forged);
        String requestId = refused.header("x-ms-request-id");
        assertThat(RefusedRequestsLoggedTest.refusalsOf(requestId))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains(requestId + " " + requestId + " \"- ERROR Internal error in POST ")
                        .contains("): \\\"forged\\\" \\\\ by an anonymous caller\" Refused GET /api/orders/forged"));
    }

    @Test
    void aClientRequestIdOfOnePlainWordIsLoggedAsSentAnyOtherQuoted() {
        assertThat(RequestIds.inLog("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
                .isEqualTo("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        assertThat(RequestIds.inLog("az-cli/2.67.0;req=1")).isEqualTo("az-cli/2.67.0;req=1");
        assertThat(RequestIds.inLog("az-cli 1")).isEqualTo("\"az-cli 1\"");
        assertThat(RequestIds.inLog("\"quoted\"")).isEqualTo("\"\\\"quoted\\\"\"");
        assertThat(RequestIds.inLog("a\\b")).isEqualTo("\"a\\\\b\"");
    }

    @Test
    void aClientRequestIdTooLongOrWithControlCharactersIsNotEchoed() {
        assertThat(RequestIds.isEchoable("a".repeat(RequestIds.MAX_CLIENT_REQUEST_ID)))
                .isTrue();
        assertThat(RequestIds.isEchoable("a".repeat(RequestIds.MAX_CLIENT_REQUEST_ID + 1)))
                .isFalse();
        assertThat(RequestIds.isEchoable("a\tb")).isFalse();
        assertThat(RequestIds.isEchoable("")).isFalse();
    }
}
