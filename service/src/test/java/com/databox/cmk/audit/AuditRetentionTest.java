package com.databox.cmk.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.storage.TableAuditRuns;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.FunctionsHost;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The timer's start, and each run's first shard, delete the audit runs kept past {@code cmk.audit.retention} (30
 * days), in the service's audits table, and keep the others.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class AuditRetentionTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/permission-audit")
    URI timer;

    private static TableAuditRuns runs() {
        return new TableAuditRuns(new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("audits")
                .buildClient());
    }

    @Test
    void theTimersStartDeletesTheRunsPastTheirRetention() throws Exception {
        TableAuditRuns runs = runs();
        String expired = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        runs.start(expired, Instant.now().minus(Duration.ofDays(31)), "timer", null);
        runs.start(recent, Instant.now().minus(Duration.ofDays(29)), "timer", null);

        HttpResponse<String> started = HTTP.send(
                HttpRequest.newBuilder(timer)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"Data\":{},\"Metadata\":{}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(runs.planned(expired)).as("deleted").isEmpty();
        assertThat(runs.planned(recent)).as("kept").isPresent();
    }

    /**
     * Review rv3 M3: a tenant's run deletes expired runs too, more than the one it adds, so that runs started on
     * demand cannot out-run the timer's share.
     */
    @Test
    void aTenantsRunDeletesRunsPastTheirRetention() throws Exception {
        // Other tests' shards first: a run's first shard would delete what this test writes (review rv4).
        FunctionsHost.drainShards(1);
        TableAuditRuns runs = runs();
        List<String> expired = new ArrayList<>();
        for (int daysAgo = 402; daysAgo >= 400; daysAgo--) {
            String runId = UUID.randomUUID().toString();
            runs.start(runId, Instant.now().minus(Duration.ofDays(daysAgo)), "timer", null);
            expired.add(runId);
        }

        String runId =
                given().post("/api/audits").then().statusCode(202).extract().path("runId");
        FunctionsHost.drainShards(3);

        given().get("/api/audits/{id}", runId).then().statusCode(200).body("status", equalTo("Succeeded"));
        assertThat(expired.stream().filter(run -> runs.planned(run).isPresent()))
                .as("the expired runs left")
                .hasSize(1);
        assertThat(runs.planned(runId)).as("its own").isPresent();
    }
}
