package com.databox.cmk.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.databox.cmk.audit.AuditReport;
import com.databox.cmk.storage.TableAuditRuns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The permission audit on Lambda: the EventBridge events template.yaml defines, sent as raw Lambda
 * events to the mock event server ({@code POST /_lambda_}), start a run (its shards on the Storage
 * queue) and then drain the shards; the run's report (in the audits table: a scheduled run is no
 * tenant's to read through the API) is complete.
 */
@QuarkusTest
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaScheduleEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theScheduledEventsRunAnAuditThroughTheStorageQueue() throws IOException {
        // One order with a customer-managed key, which the audit checks.
        createCustomerManagedOrder();

        JsonNode started = invoke(scheduleInput("PermissionAudit"));
        assertThat(started.path("statusCode").asInt()).as(started.toString()).isEqualTo(200);
        String runId =
                JSON.readTree(started.path("body").asText()).path("ReturnValue").asText();
        assertThat(runId).isNotBlank();

        // A scheduled run covers every tenant, so no tenant's caller may read its report (issue 12):
        // the API answers 404, and the report is read from the audits table as the service keeps it.
        given().get("/api/audits/{runId}", runId).then().statusCode(404);
        TableAuditRuns runs = new TableAuditRuns(new TableClientBuilder()
                .connectionString(LambdaAzurite.shared().connectionString())
                .tableName("audits")
                .buildClient());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        AuditReport report;
        do {
            JsonNode drained = invoke(scheduleInput("AuditShards"));
            assertThat(drained.path("statusCode").asInt())
                    .as(drained.toString())
                    .isEqualTo(200);
            report = runs.report(runId).orElseThrow();
        } while (report.status() != AuditReport.Status.Succeeded
                && Instant.now().isBefore(deadline));

        assertThat(report.status()).as(report.toString()).isEqualTo(AuditReport.Status.Succeeded);
        assertThat(report.shardsDone()).isEqualTo(report.shards()).isPositive();
        assertThat(report.ordersChecked()).isPositive();
        assertThat(report.healthy()).isPositive();
    }

    @Test
    void aShardQueueDeletedSinceTheLastDrainIsMadeAgain() throws IOException {
        JsonNode first = invoke(scheduleInput("AuditShards"));
        assertThat(first.path("statusCode").asInt()).as(first.toString()).isEqualTo(200);
        // The service's shards queue (cmk.storage.audit-shards-queue's default), which that drain reached.
        QueueClient shards = new QueueClientBuilder()
                .connectionString(LambdaAzurite.shared().connectionString())
                .queueName("cmk-audit-shards")
                .buildClient();
        shards.delete();

        JsonNode again = invoke(scheduleInput("AuditShards"));

        assertThat(again.path("statusCode").asInt()).as(again.toString()).isEqualTo(200);
        JsonNode drained = JSON.readTree(again.path("body").asText());
        assertThat(drained.path("shardsFailed").isInt()).as(drained.toString()).isTrue();
        assertThat(drained.path("shardsFailed").asInt()).isZero();
        assertThat(shards.getProperties()).isNotNull();
    }

    @Test
    void theScheduledIdentitySweepRuns() throws IOException {
        createCustomerManagedOrder();

        JsonNode swept = invoke(scheduleInput("IdentitySweep"));

        assertThat(swept.path("statusCode").asInt()).as(swept.toString()).isEqualTo(200);
        JsonNode report = JSON.readTree(swept.path("body").asText()).path("ReturnValue");
        assertThat(report.path("held").asInt()).as(report.toString()).isPositive();
    }

    private static void createCustomerManagedOrder() {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", order)
                .then()
                .statusCode(201);
        LambdaOrderFlowTest.enableCustomerKey(order);
    }

    /** A raw Lambda invocation through the mock event server: answers the function's output. */
    static JsonNode invoke(String event) throws IOException {
        String output = given().contentType(ContentType.JSON)
                .body(event)
                .post("/_lambda_")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return JSON.readTree(output);
    }

    /** The event an EventBridge schedule of template.yaml sends the function (its {@code Input}). */
    static String scheduleInput(String event) throws IOException {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(templateText());
        JsonNode input = template.path("Resources")
                .path("CmkFunction")
                .path("Properties")
                .path("Events")
                .path(event)
                .path("Properties")
                .path("Input");
        assertThat(input.isTextual())
                .as("template.yaml has the schedule event " + event)
                .isTrue();
        JSON.readTree(input.asText()); // valid JSON, as EventBridge requires
        return input.asText();
    }

    /** The template, with SAM's short-form tags (!Ref, !Sub, !GetAtt) read as plain strings. */
    private static String templateText() throws IOException {
        return Files.readString(Path.of("template.yaml")).replaceAll("!(Ref|Sub|GetAtt) ", "");
    }
}
