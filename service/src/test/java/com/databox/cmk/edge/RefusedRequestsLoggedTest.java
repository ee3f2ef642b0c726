package com.databox.cmk.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.api.RefusedRequests;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.RawHttp;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What an operator finds of a request the service refused (bb84 F2): one line naming the method, the path,
 * the status and the code, found by the request's ID. Read from the log file the tests write
 * ({@code %test.quarkus.log.file.path}), which carries the logging context's IDs: a record read on the
 * test thread no longer has the request's.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class RefusedRequestsLoggedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path LOG = Path.of("target/quarkus-test.log");

    @TestHTTPResource("/")
    URL app;

    /** The refusal lines of the request of ID {@code id}. */
    static List<String> refusalsOf(String id) {
        return loggedLinesWith(id, RefusedRequests.class.getSimpleName());
    }

    /** The log file's lines that name {@code id} and {@code logger}, once one does (the file is written as the answer goes out). */
    static List<String> loggedLinesWith(String id, String logger) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < until) {
            try {
                lines = Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.contains(id) && l.contains(logger))
                        .toList();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (!lines.isEmpty()) {
                return lines;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lines;
            }
        }
        return lines;
    }

    @Test
    void aRefusedOrderRequestLeavesOneLineWithMethodPathStatusAndCodeButNotItsQuery() {
        String order = "missing-" + UUID.randomUUID().toString().substring(0, 8);

        Response answer = given().queryParam("view", "query-" + order).get("/api/orders/" + order);

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(refusalsOf(answer.header("x-ms-request-id")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("INFO")
                        .contains("Refused GET /api/orders/" + order + ": 404 OrderNotFound (tenant "
                                + LocalStack.tenant().value() + ")")
                        .doesNotContain("query-" + order));
    }

    @Test
    void aRefusedJobsRequestLeavesALineWithTheCodeItWasAnswered() {
        String job = "/api/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg-log"
                + "/providers/Microsoft.DataBox/jobs/job-"
                + UUID.randomUUID().toString().substring(0, 8);

        Response answer = given().queryParam("api-version", "2025-02-01").get(job);

        assertThat(answer.statusCode()).isBetween(400, 499);
        assertThat(refusalsOf(answer.header("x-ms-request-id")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("Refused GET " + job + ": " + answer.statusCode() + " " + answer.path("error.code")));
    }

    /** A refusal before the route, which the jobs routes answer in ARM's envelope: logged with ARM's code. */
    @Test
    void aJobsRefusalBeforeTheRouteIsLoggedWithArmsCode() {
        String job = "/api/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg-log"
                + "/providers/Microsoft.DataBox/jobs/job-"
                + UUID.randomUUID().toString().substring(0, 8);

        Response answer =
                given().body("{}").queryParam("api-version", "2025-02-01").put(job);

        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(answer.<String>path("error.code")).isEqualTo("InvalidRequestContent");
        assertThat(refusalsOf(answer.header("x-ms-request-id")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("Refused PUT " + job + ": 415 InvalidRequestContent"));
    }

    @Test
    void aRefusedTokenIsLoggedWithoutTheToken() {
        String token = "eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0." + UUID.randomUUID();

        Response missing = given().header("Authorization", "").get("/api/orders");
        Response forged = given().header("Authorization", "Bearer " + token).get("/api/orders");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(refusalsOf(missing.header("x-ms-request-id")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("Refused GET /api/orders: 401 Unauthorized"));
        assertThat(refusalsOf(forged.header("x-ms-request-id")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("Refused GET /api/orders: 401 Unauthorized")
                        .doesNotContain(token)
                        .doesNotContain("Bearer"));
    }

    /**
     * bug bash ob1 F8: every 401 read the same, and an operator with the customer's request ID could not tell them
     * what was wrong with their token. The line says why, and the tenant an expired token claims; the answer is the
     * contract's one 401 whatever the reason, and nothing of the token is logged.
     */
    @Test
    void aRefusedTokensLineSaysWhyButItsAnswerDoesNot() {
        String tenant = LocalStack.tenant().value();
        String expired = EmulatorTestSupport.admin()
                .callerToken(JSON.createObjectNode()
                        .put("issuedAtOffsetSeconds", -7200)
                        .set("roles", JSON.createArrayNode().add("Orders.Read")));
        // Its exp two minutes before its iat, within the clock skew: smallrye-jwt's own check, not jose4j's.
        String expiredAtIssue = EmulatorTestSupport.admin()
                .callerToken(JSON.createObjectNode()
                        .put("lifetimeSeconds", -120)
                        .set("roles", JSON.createArrayNode().add("Orders.Read")));
        String otherAudience = EmulatorTestSupport.admin()
                .callerToken(JSON.createObjectNode()
                        .put("audience", "api://someone-else")
                        .set("roles", JSON.createArrayNode().add("Orders.Read")));
        String[] parts = LocalStack.callerToken().split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("Basic dXNlcjpwYXNz", "(token refused: no bearer token)");
        reasons.put("Bearer not-a-jwt", "(token refused: not a signed JWT)");
        reasons.put("Bearer " + expired, "(token refused: expired; its tid claims tenant " + tenant + ")");
        reasons.put("Bearer " + expiredAtIssue, "(token refused: expired; its tid claims tenant " + tenant + ")");
        reasons.put("Bearer " + otherAudience, "(token refused: issued for another audience; its tid claims tenant ");
        reasons.put("Bearer " + tampered, "(token refused: its signature does not verify; its tid claims tenant ");

        reasons.forEach((authorization, reason) -> {
            Response answer = given().header("Authorization", authorization).get("/api/orders");

            assertThat(answer.statusCode()).as(reason).isEqualTo(401);
            assertThat(answer.<String>path("error.code")).isEqualTo("Unauthorized");
            assertThat(answer.<String>path("error.message"))
                    .isEqualTo("A valid bearer token for this service is required.");
            assertThat(refusalsOf(answer.header("x-ms-request-id")))
                    .singleElement()
                    .satisfies(line -> assertThat(line)
                            .contains("Refused GET /api/orders: 401 Unauthorized " + reason)
                            .doesNotContain(authorization.substring(authorization.indexOf(' ') + 1)));
        });
    }

    /** The jobs routes answer a refused token in ARM's envelope; their line says why as well (bug bash ob1 F8). */
    @Test
    void aRefusedTokenOnTheJobsRoutesSaysWhyToo() {
        String job = "/api/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg-log"
                + "/providers/Microsoft.DataBox/jobs/job-"
                + UUID.randomUUID().toString().substring(0, 8);

        Response answer = given().header("Authorization", "Bearer not-a-jwt")
                .queryParam("api-version", "2025-02-01")
                .get(job);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.<String>path("error.code")).isEqualTo("AuthenticationFailed");
        assertThat(refusalsOf(answer.header("x-ms-request-id")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains(
                                "Refused GET " + job + ": 401 AuthenticationFailed (token refused: not a signed JWT)"));
    }

    @Test
    void aForbiddenRequestIsLogged() {
        Response answer = given().header("Authorization", "Bearer " + LocalStack.callerToken())
                .get("/api/orders");

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(refusalsOf(answer.header("x-ms-request-id")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("Refused GET /api/orders: 403 Forbidden"));
    }

    @Test
    void aRefusalAtTheEdgeIsLoggedToo() {
        try (RawHttp http = RawHttp.connect(app.getPort())) {
            RawHttp.Answer twoTokens = http.send(
                            "GET /api/orders?secret=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + RawHttp.bearer()
                                    + "\r\nAuthorization: " + RawHttp.bearer() + "\r\n\r\n")
                    .read(Duration.ofSeconds(30));

            assertThat(twoTokens.status()).isEqualTo(400);
            assertThat(refusalsOf(twoTokens.headers().get("x-ms-request-id")))
                    .singleElement()
                    .satisfies(line -> assertThat(line)
                            .contains("Refused GET /api/orders: 400 InvalidRequest")
                            .doesNotContain("secret"));
        }
        try (RawHttp http = RawHttp.connect(app.getPort())) {
            RawHttp.Answer notPlain = http.send("GET /api/orders/%2e%2e HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                            + RawHttp.bearer() + "\r\n\r\n")
                    .read(Duration.ofSeconds(30));

            assertThat(notPlain.status()).isEqualTo(400);
            assertThat(refusalsOf(notPlain.headers().get("x-ms-request-id")))
                    .singleElement()
                    .satisfies(line -> assertThat(line).contains("Refused GET /api/orders/%2e%2e: 400 InvalidRequest"));
        }
    }

    /** bb84 F3: an outage's line names the request, so the order, and the caller's tenant. */
    @Test
    void anOutageOnAnOrderIsLoggedWithTheRequestAndTheCallersTenant() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        CustomerKeyVault.admin().injectFault(vault.name(), "unwrapKey", 503, 100, 1, 0);
        Response answer;
        try {
            answer = given().post("/api/orders/{name}/listCredentials", order.name());
        } finally {
            CmkOrder.clearFaults();
        }

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(loggedLinesWith(answer.header("x-ms-request-id"), "AnsweredFailures"))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("WARN")
                        .contains(
                                "KeyVaultUnavailable in POST /api/orders/" + order.name() + "/listCredentials (tenant "
                                        + LocalStack.tenant().value() + "): ")
                        .doesNotContain(order.password()));
    }

    @Test
    void aSuccessfulRequestIsNotLogged() {
        Response answer = given().get("/api/orders?top=1");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(refusalsOf(answer.header("x-ms-request-id"))).isEmpty();
    }
}
