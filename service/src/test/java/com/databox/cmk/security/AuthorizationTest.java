package com.databox.cmk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may call what, over raw HTTP so that nothing adds a token behind the test's back:
 * Entra ID bearer tokens (issuer, audience, signature, expiry) and one app role per kind of
 * operation; only Credentials.Read reveals a device password.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class AuthorizationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI base;

    private static String token(String... roles) {
        return EmulatorTestSupport.admin().callerToken(roles);
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String newOrder(String writer) throws Exception {
        String name = "a-" + UUID.randomUUID().toString().substring(0, 12);
        assertThat(call("PUT", "api/orders/" + name, writer, "{\"location\":\"westus\"}")
                        .statusCode())
                .isEqualTo(201);
        return name;
    }

    @Test
    void everyRouteButHealthRefusesACallerWithoutAToken() throws Exception {
        List<String[]> routes = List.of(
                new String[] {"GET", "api/orders"},
                new String[] {"GET", "api/orders/x-1"},
                new String[] {"PUT", "api/orders/x-1"},
                new String[] {"POST", "api/orders/x-1/listCredentials"},
                new String[] {"POST", "api/orders/x-1/encryption/validate"},
                new String[] {"POST", "api/audits"});
        for (String[] route : routes) {
            HttpResponse<String> response = call(route[0], route[1], null, route[0].equals("PUT") ? "{}" : null);
            assertThat(response.statusCode()).as(route[0] + " " + route[1]).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).at("/error/code").asText())
                    .isEqualTo("Unauthorized");
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        assertThat(call("GET", "q/health/ready", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesForgedExpiredAndForeignTokens() throws Exception {
        String good = token("Orders.Read");
        String[] parts = good.split("\\.");
        String forgedClaims = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]))
                        .replace("Orders.Read", "Credentials.Read")
                        .getBytes());
        String forged = parts[0] + "." + forgedClaims + "." + parts[2];
        String otherAudience = EmulatorTestSupport.admin()
                .callerToken(JSON.createObjectNode()
                        .put("audience", "api://someone-else")
                        .set("roles", JSON.createArrayNode().add("Orders.Read")));
        String expired = EmulatorTestSupport.admin()
                .callerToken(JSON.createObjectNode()
                        .put("lifetimeSeconds", -120)
                        .set("roles", JSON.createArrayNode().add("Orders.Read")));
        // The local run serves every tenant the emulator's issuer serves (issue 12); a tid that is no
        // tenant ID is foreign to every configuration (allow-lists: EdgeRulesUnitTest).
        String otherTenant = EmulatorTestSupport.admin()
                .callerToken(JSON.createObjectNode()
                        .put("tenantId", "common")
                        .set("roles", JSON.createArrayNode().add("Orders.Read")));
        for (String token : List.of(forged, otherAudience, expired, otherTenant, "not-a-jwt")) {
            HttpResponse<String> response = call("GET", "api/orders", token, null);
            assertThat(response.statusCode()).as(token).isEqualTo(401);
            assertThat(response.body()).doesNotContain("Exception");
        }
        assertThat(call("GET", "api/orders", good, null).statusCode()).isEqualTo(200);
    }

    @Test
    void eachOperationNeedsItsOwnAppRole() throws Exception {
        String writer = token("Orders.Write");
        String name = newOrder(writer);
        String reader = token("Orders.Read");
        String keyManager = token("Encryption.Manage");

        assertThat(call("GET", "api/orders/" + name, reader, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "api/orders/" + name, writer, null).statusCode()).isEqualTo(403);
        HttpResponse<String> refused = call("PUT", "api/orders/" + name + "-2", reader, "{\"location\":\"westus\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("Forbidden");
        assertThat(call("POST", "api/orders/" + name + "/stage", reader, "{\"stage\":\"DevicePrepared\"}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(call("POST", "api/orders/" + name + "/encryption/validate", reader, null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(call("POST", "api/orders/" + name + "/encryption/validate", keyManager, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(call("POST", "api/audits", keyManager, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "api/audits", token("Audit.Run"), null).statusCode())
                .isEqualTo(202);
    }

    @Test
    void onlyCredentialsReadRevealsTheDevicePassword() throws Exception {
        String name = newOrder(token("Orders.Write"));
        String everythingElse = token("Orders.Read", "Orders.Write", "Encryption.Manage", "Audit.Run");
        assertThat(call("POST", "api/orders/" + name + "/listCredentials", everythingElse, null)
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> revealed =
                call("POST", "api/orders/" + name + "/listCredentials", token("Credentials.Read"), null);
        assertThat(revealed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(revealed.body()).path("devicePassword").asText())
                .hasSize(24);
    }

    @Test
    void historyRecordsWhoMadeEachChange() throws Exception {
        String writerOid = UUID.randomUUID().toString();
        String writer = EmulatorTestSupport.admin()
                .callerToken(JSON.createObjectNode()
                        .put("oid", writerOid)
                        .set("roles", JSON.createArrayNode().add("Orders.Write")));
        String name = newOrder(writer);
        assertThat(call("POST", "api/orders/" + name + "/stage", writer, "{\"stage\":\"DevicePrepared\"}")
                        .statusCode())
                .isEqualTo(200);

        TableClient table = new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("orders")
                .buildClient();
        List<String> actors = new ArrayList<>();
        for (TableEntity row : table.listEntities(
                new ListEntitiesOptions()
                        .setFilter("PartitionKey eq '"
                                + com.databox.cmk.testing.LocalStack.tenant().value() + "' and RowKey ge 'history~"
                                + name + "~' and RowKey lt 'history~" + name + "~~'"),
                null,
                null)) {
            actors.add((String) row.getProperty("Actor"));
        }
        assertThat(actors).hasSize(2).containsOnly("oid:" + writerOid);
    }

    static JsonNode parse(String body) throws Exception {
        return JSON.readTree(body);
    }
}
