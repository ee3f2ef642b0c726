package com.databox.cmk.jobs;

import static com.databox.cmk.jobs.ArmJobs.V2020;
import static com.databox.cmk.jobs.ArmJobs.V2025;
import static com.databox.cmk.jobs.ArmJobs.assertArmError;
import static com.databox.cmk.jobs.ArmJobs.jobBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Bug bash dc2 (the living specification against the running app): the jobs surface's answers to a method a
 * route does not take, and to a request with two Authorization headers, as API.md and DATABOX-ARM-API.md write
 * them for every route.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class JobsMethodsContractTest {

    @TestHTTPResource("/")
    URL app;

    private static Set<String> allow(Response answer) {
        String allow = answer.header("Allow");
        assertThat(allow).as("Allow header of %s", answer.statusLine()).isNotNull();
        return Arrays.stream(allow.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    /**
     * API.md, errors table: "a method the route does not take (405, with Allow naming the methods it takes;
     * since 2026-12-05 ...)"; RFC 9110, 15.5.6: the server MUST send Allow in a 405. DATABOX-ARM-API.md puts
     * the jobs surface's 405 in ARM's envelope, but the jobs 405 has no Allow at all.
     */
    @Test
    void aMethodAJobRouteDoesNotTakeAnswers405WithAllow() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        Response refused =
                ArmJobs.json(Map.of()).queryParam("api-version", V2020).post(arm.jobPath(name));
        assertArmError(refused, 405, "InvalidRequestContent");
        assertThat(allow(refused)).contains("GET", "PUT", "PATCH", "DELETE").doesNotContain("POST");
    }

    /**
     * API.md, "OPTIONS on any route": "the methods the route takes, in Allow (as a 405 names them) ... (since
     * 2026-12-06: before, the methods of every route of the same resource class)". A job answers OPTIONS with
     * POST, which it refuses 405.
     */
    @Test
    void optionsOnAJobNamesOnlyTheMethodsItTakes() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        Response options = given().queryParam("api-version", V2025).options(arm.jobPath(name));
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(allow(options)).doesNotContain("POST");

        Response cancel = given().queryParam("api-version", V2025).options(arm.jobPath(name) + "/cancel");
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(allow(cancel)).contains("POST").doesNotContain("GET", "PUT", "PATCH", "DELETE");
    }

    /**
     * Two Authorization headers are refused before the token is read, so before the request is known to be ARM's:
     * in the /api routes' shape, as DATABOX-ARM-API.md lists it with the edge's other refusals (dc2 F3).
     */
    @Test
    void twoAuthorizationHeadersOnTheJobsSurfaceAreRefusedBeforeTheToken() {
        ArmJobs arm = new ArmJobs();
        String path = arm.jobPath(ArmJobs.newName()) + "?api-version=" + V2025;
        try (RawHttp http = RawHttp.connect(app.getPort())) {
            RawHttp.Answer answer = http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + app.getPort()
                            + "\r\nAuthorization: " + RawHttp.bearer()
                            + "\r\nAuthorization: " + RawHttp.bearer() + "\r\n\r\n")
                    .read(Duration.ofSeconds(10));
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.json().path("error").path("target").asText()).isEqualTo("Authorization");
            assertThat(answer.json().path("error").path("code").asText()).isEqualTo("InvalidRequest");
        }
    }
    /**
     * Review rv11: OPTIONS is answered from the route table only for the canonical /api form. Resource Manager calls
     * a provider without /api (DATABOX-ARM-API.md: the endpoint cannot carry a path), and ARM paths are read in any
     * case; there OPTIONS still answers every method of the resource class, POST on a job too, and a path that is no
     * route answers 200 (RouteOptions: "left to that surface's own 404").
     */
    @Test
    void optionsOnAJobInArmsOwnFormNamesOnlyTheMethodsItTakes() {
        ArmJobs arm = new ArmJobs();
        String name = ArmJobs.newName();
        arm.put(name, jobBody(null, null), V2025).then().statusCode(200);
        String withoutApi = arm.jobPath(name).replaceFirst("^/api", "");
        Response options = given().queryParam("api-version", V2025).options(withoutApi);
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(allow(options)).as(withoutApi).doesNotContain("POST");

        String lowerCase = arm.jobPath(name)
                .replace("resourceGroups", "resourcegroups")
                .replace("Microsoft.DataBox", "microsoft.databox");
        Response lower = given().queryParam("api-version", V2025).options(lowerCase);
        assertThat(lower.statusCode()).isEqualTo(200);
        assertThat(allow(lower)).as(lowerCase).doesNotContain("POST");

        Response noRoute = given().queryParam("api-version", V2025).options(arm.jobPath(name) + "/nosuch");
        assertThat(noRoute.statusCode()).as("no such route").isEqualTo(404);
    }
}
