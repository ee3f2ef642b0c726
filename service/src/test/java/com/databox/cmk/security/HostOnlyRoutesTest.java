package com.databox.cmk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the custom-handler trigger routes answer only under their exact path, and refuse
 * what the queue could not have carried. Raw HTTP, so that no client normalises the paths.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class HostOnlyRoutesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI base;

    private HttpResponse<String> post(String rawPath, String body) throws Exception {
        URI uri = URI.create(base.getScheme() + "://" + base.getAuthority() + rawPath);
        return HTTP.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void traversalSpellingsOfTheTriggerRoutesAreRefused() throws Exception {
        for (String path : List.of(
                "/api/%2e%2e/permission-audit",
                "/api/%2E%2E/permission-audit",
                "/api/../permission-audit",
                "/api/./../audit-shard",
                "/api/../outbox-relay",
                "//permission-audit",
                "/./permission-audit",
                "/api/%2e%2e/audit-shard",
                "/%70ermission-audit",
                "/api/..%2fpermission-audit",
                "/api/%2e%2e/identity-sweep",
                "/api/../identity-sweep",
                // A matrix parameter, which the routes drop: not the path the loopback check knows.
                "/audit-shard;x",
                "/permission-audit;a=1",
                "/outbox-relay;")) {
            HttpResponse<String> response = post(path, "{}");
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(response.body())
                    .as(path)
                    .contains("InvalidRequest")
                    .doesNotContain("Permission audit run")
                    .doesNotContain("Identity sweep");
        }
    }

    @Test
    void malformedOrForgedShardsAreRefusedWithoutWriting() throws Exception {
        String tenant = LocalStack.tenant().value();
        List<String> bodies = List.of(
                "{}",
                "{\"Data\":{}}",
                "{\"Data\":{\"shard\":\"not json\"}}",
                "{\"Data\":{\"shard\":\"[1,2]\"}}",
                "{\"Data\":{\"shard\":{\"runId\":\"x\",\"index\":0}}}",
                // A well-formed shard of a run no planner started, and one with a negative index.
                "{\"Data\":{\"shard\":{\"runId\":\"" + UUID.randomUUID() + "\",\"index\":0}}}",
                "{\"Data\":{\"shard\":{\"runId\":\"" + UUID.randomUUID() + "\",\"index\":-1}}}",
                // The message before issue 16 (names in the message), now refused whatever it names.
                "{\"Data\":{\"shard\":{\"runId\":\"x\",\"index\":0,\"tenantId\":\"" + tenant
                        + "\",\"orderNames\":[\"o-1\"]}}}",
                // A well-formed shard of a run no planner started.
                "{\"Data\":{\"shard\":{\"runId\":\"" + UUID.randomUUID() + "\",\"index\":0,\"tenantId\":\"" + tenant
                        + "\",\"orderNames\":[\"o-1\"]}}}",
                "{\"Data\":{\"shard\":{\"runId\":\"" + UUID.randomUUID() + "\",\"index\":0,\"tenantId\":\"" + tenant
                        + "\",\"orderNames\":[\"b-1\",\"a-1\"]}}}",
                "{\"Data\":{\"shard\":{\"runId\":\"" + UUID.randomUUID() + "\",\"index\":0,\"tenantId\":\"t\","
                        + "\"orderNames\":[\"a-1\"],\"extra\":1}}}");
        for (String body : bodies) {
            HttpResponse<String> response = post("/audit-shard", body);
            assertThat(response.statusCode()).as(body + ": " + response.body()).isEqualTo(400);
            assertThat(response.body()).as(body).contains("InvalidRequest");
        }
    }

    @Test
    void theExactPathStillServesTheHost() throws Exception {
        HttpResponse<String> response = post("/permission-audit", "{\"Data\":{},\"Metadata\":{}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("Permission audit run");
    }
}
