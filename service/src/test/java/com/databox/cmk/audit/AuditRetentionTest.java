package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.storage.TableAuditRuns;
import com.databox.cmk.testing.Azurite;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The timer's start deletes the audit runs kept past {@code cmk.audit.retention} (30 days), in the
 * service's audits table, and keeps the others.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class AuditRetentionTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/permission-audit")
    URI timer;

    @Test
    void theTimersStartDeletesTheRunsPastTheirRetention() throws Exception {
        TableAuditRuns runs = new TableAuditRuns(new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("audits")
                .buildClient());
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
}
