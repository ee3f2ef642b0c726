package com.databox.cmk.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.SeenSecrets;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests shaped exactly as the Logic Apps custom connector (connector/) sends them: the path
 * from its basePath and paths, its method, {@code Authorization: Bearer} with an Entra ID token (here
 * from the emulator's issuer) holding only the roles the operation's security lists, and its content
 * type, and no function key (a Logic Apps custom connector cannot send one; the functions are anonymous
 * to the host since 2026-12-06); every operation answers 2xx.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class ConnectorRequestTest {
    private static final Path DEFINITION = Path.of("connector/apiDefinition.swagger.json");
    /** A key an older client may still send: the host ignores it on anonymous functions, and so does the app. */
    private static final String STALE_FUNCTION_KEY = "connector-test-function-key";

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    private JsonNode connector;
    private final Set<String> called = new TreeSet<>();

    /** One connector operation: its method, path template, roles and whether it takes a body. */
    record ConnectorOperation(String method, String path, List<String> roles, boolean takesBody, String consumes) {}

    @BeforeEach
    void readDefinition() {
        connector = FunctionApp.read(DEFINITION);
    }

    @Test
    void everyConnectorActionSucceedsWithTheConnectorsHeadersAndToken() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String order = CmkOrder.newName();
        Map<String, String> path = Map.of("orderName", order);

        send("CreateOrder", path, Map.of("location", "westus")).then().statusCode(201);
        send("GetOrder", path, null).then().statusCode(200);
        send("ListOrders", Map.of(), null).then().statusCode(200);
        String systemPrincipal = send(
                        "UpdateOrderIdentity",
                        path,
                        Map.of(
                                "type",
                                "SystemAssigned,UserAssigned",
                                "userAssignedIdentities",
                                Map.of(vault.identity().resourceId(), Map.of())))
                .then()
                .statusCode(200)
                .extract()
                .path("identity.principalId");
        vault.grant(systemPrincipal, CustomerKeyVault.ALL_KEY_PERMISSIONS);
        Map<String, Object> enable = CmkOrder.enableBody(
                vault.keyUrl(),
                vault.resourceId(),
                CmkOrder.userAssigned(vault.identity().resourceId()));
        send("ValidateEncryption", path, enable).then().statusCode(200);
        send("EnableCmk", path, enable).then().statusCode(200);
        send("ChangeKey", path, CmkOrder.changeKeyBody(vault.newVersion(), vault.resourceId()))
                .then()
                .statusCode(200);
        send("ChangeIdentity", path, Map.of("identityProperties", CmkOrder.systemAssigned()))
                .then()
                .statusCode(200);
        send("UseMicrosoftKey", path, null).then().statusCode(200);
        send("MoveOrderStage", path, Map.of("stage", "DevicePrepared")).then().statusCode(200);
        // Signed in and authorized: the app's own answer for an order that waits for nothing.
        CmkOrder.assertError(
                send("MitigateOrder", path, Map.of("customerResolutionCode", "Resume")),
                409,
                "OrderNotWaitingForCustomerAction");
        String password = send("ListCredentials", path, null)
                .then()
                .statusCode(200)
                .extract()
                .path("devicePassword");
        SeenSecrets.record(password);
        assertThat(password).isNotBlank();
        String location = send("StartAudit", Map.of(), null)
                .then()
                .statusCode(202)
                .extract()
                .header("Location");
        String runId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(send("GetAudit", Map.of("runId", runId), null).statusCode()).isIn(200, 202);

        assertThat(called)
                .as("every connector operation was sent")
                .isEqualTo(operations().keySet());
    }

    /**
     * The host checks nothing on these routes, so the app's token check is the authentication: without
     * a bearer token it answers 401, and a function key does not stand in for one.
     */
    @Test
    void withoutATokenTheAppAnswers401WithOrWithoutAFunctionKey() {
        String orders = connector.path("basePath").asText() + "/orders";
        // An empty Authorization header: the tests' default filter adds a token only where there is none.
        CmkOrder.assertError(
                given().header("Authorization", "").accept("application/json").get(orders), 401, "Unauthorized");
        CmkOrder.assertError(
                given().header("x-functions-key", STALE_FUNCTION_KEY)
                        .header("Authorization", "")
                        .accept("application/json")
                        .get(orders),
                401,
                "Unauthorized");
    }

    /** A client that still sends the function key beside its token is answered as before. */
    @Test
    void aClientThatStillSendsTheFunctionKeyIsUnaffected() {
        ConnectorOperation list = operations().get("ListOrders");
        given().header("x-functions-key", STALE_FUNCTION_KEY)
                .header(
                        "Authorization",
                        "Bearer " + LocalStack.callerToken(list.roles().toArray(String[]::new)))
                .accept("application/json")
                .get(connector.path("basePath").asText() + list.path())
                .then()
                .statusCode(200);
    }

    /** Sends the operation as the connector would, with a token holding only the roles it lists. */
    private Response send(String operationId, Map<String, String> pathValues, Object body) {
        ConnectorOperation operation = operations().get(operationId);
        assertThat(operation).as(operationId).isNotNull();
        called.add(operationId);
        String token = LocalStack.callerToken(operation.roles().toArray(String[]::new));
        Matcher parameters = PARAMETER.matcher(operation.path());
        String path = connector.path("basePath").asText()
                + parameters.replaceAll(parameter -> {
                    String value = pathValues.get(parameter.group(1));
                    assertThat(value)
                            .as(operationId + " path parameter " + parameter.group(1))
                            .isNotNull();
                    return Matcher.quoteReplacement(value);
                });
        RequestSpecification request = given().header("Authorization", "Bearer " + token)
                .accept(connector.path("produces").get(0).asText());
        if (operation.takesBody()) {
            request.contentType(operation.consumes()).body(body == null ? Map.of() : body);
        } else {
            assertThat(body).as(operationId + " takes no body in the connector").isNull();
        }
        return request.request(operation.method(), path);
    }

    /** operationId → what the connector definition says of it. */
    private Map<String, ConnectorOperation> operations() {
        Map<String, ConnectorOperation> operations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        connector.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                JsonNode definition = method.getValue();
                JsonNode security =
                        definition.has("security") ? definition.path("security") : connector.path("security");
                List<String> roles = new java.util.ArrayList<>();
                security.path(0).path("oauth2_auth").forEach(role -> roles.add(role.asText()));
                boolean takesBody = false;
                for (JsonNode parameter : definition.path("parameters")) {
                    takesBody |= "body".equals(parameter.path("in").asText());
                }
                JsonNode consumes =
                        definition.has("consumes") ? definition.path("consumes") : connector.path("consumes");
                operations.put(
                        definition.path("operationId").asText(),
                        new ConnectorOperation(
                                method.getKey().toUpperCase(java.util.Locale.ROOT),
                                path.getKey(),
                                roles,
                                takesBody,
                                consumes.get(0).asText()));
            }
        }
        return operations;
    }
}
