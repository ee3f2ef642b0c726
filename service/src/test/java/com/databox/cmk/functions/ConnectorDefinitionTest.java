package com.databox.cmk.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Logic Apps / Power Platform custom connector (connector/, OpenAPI 2.0) against the
 * operations the app really serves, as its own OpenAPI 3 document at /q/openapi says.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class ConnectorDefinitionTest {
    private static final Path DEFINITION = Path.of("connector/apiDefinition.swagger.json");
    private static final Path PROPERTIES = Path.of("connector/apiProperties.json");
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "patch", "delete", "head", "options");

    /** What the connector and the app must agree on for one operation. */
    record Shape(String operationId, Set<String> pathParameters, boolean bodyRequired, Set<String> requiredBodyFields) {
    }

    private JsonNode connector;
    private JsonNode app;

    @BeforeEach
    void readBothDocuments() {
        connector = FunctionApp.read(DEFINITION);
        app = FunctionApp.parse(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    @Test
    void connectorIsSwagger2CalledWithTheFunctionKey() {
        assertThat(connector.path("swagger").asText()).isEqualTo("2.0");
        assertThat(connector.path("basePath").asText()).isEqualTo("/" + FunctionApp.ROUTE_PREFIX);
        assertThat(connector.path("host").asText()).isNotBlank();
        JsonNode apiKey = connector.at("/securityDefinitions/api_key");
        assertThat(apiKey.path("type").asText()).isEqualTo("apiKey");
        assertThat(apiKey.path("in").asText()).isEqualTo("header");
        assertThat(apiKey.path("name").asText()).isEqualTo("x-functions-key");
        assertThat(connector.at("/security/0").has("api_key")).isTrue();

        JsonNode properties = FunctionApp.read(PROPERTIES).path("properties");
        assertThat(properties.at("/connectionParameters/api_key/type").asText()).isEqualTo("securestring");
        assertThat(properties.path("iconBrandColor").asText()).matches("#[0-9a-fA-F]{6}");
    }

    @Test
    void everyOperationTheAppServesIsInTheConnectorWithTheSameShape() {
        Map<String, Shape> connectorOperations = connectorOperations();
        Map<String, Shape> appOperations = appOperations();
        assertThat(appOperations).isNotEmpty();
        appOperations.forEach((operation, appShape) -> {
            Shape expected = new Shape(pascalCase(appShape.operationId()), appShape.pathParameters(),
                    appShape.bodyRequired(), appShape.requiredBodyFields());
            assertThat(connectorOperations.get(operation)).as("connector operation " + operation).isEqualTo(expected);
        });
    }

    /** Fails until the audit branch (issue 5) serves POST /api/audits and GET /api/audits/{runId}. */
    @Test
    void everyConnectorOperationIsServedByTheApp() {
        assertThat(appOperations().keySet()).containsExactlyInAnyOrderElementsOf(connectorOperations().keySet());
    }

    @Test
    void everyConnectorOperationIsDescribedForTheDesigner() {
        for (var path : fields(connector.path("paths"))) {
            for (var operation : fields(path.getValue())) {
                String name = operation.getKey() + " " + path.getKey();
                JsonNode definition = operation.getValue();
                assertThat(definition.path("operationId").asText()).as(name).matches("[A-Z][A-Za-z0-9]+");
                assertThat(definition.path("summary").asText()).as(name).isNotBlank().hasSizeLessThan(80);
                assertThat(definition.path("description").asText()).as(name).isNotBlank();
                assertThat(definition.path("x-ms-visibility").asText()).as(name)
                        .isIn("important", "advanced", "internal");
                assertThat(definition.path("responses").size()).as(name).isGreaterThan(1);
                for (JsonNode parameter : definition.path("parameters")) {
                    String parameterName = name + " parameter " + parameter.path("name").asText();
                    assertThat(parameter.path("x-ms-summary").asText()).as(parameterName).isNotBlank();
                    assertThat(parameter.path("description").asText()).as(parameterName).isNotBlank();
                    assertThat(parameter.path("x-ms-visibility").asText()).as(parameterName)
                            .isIn("", "important", "advanced", "internal");
                }
            }
        }
    }

    /** Logic Apps polls an action's Location while it answers 202 (the asynchronous pattern). */
    @Test
    void startingAnAuditFollowsTheAsynchronousPollingPattern() {
        JsonNode start = connector.at("/paths/~1audits/post");
        assertThat(start.path("x-ms-long-running-operation").asBoolean()).isTrue();
        assertThat(start.at("/responses/202/headers/Location/type").asText()).isEqualTo("string");
        assertThat(start.at("/responses/202/headers/Retry-After/type").asText()).isEqualTo("integer");
        JsonNode status = connector.at("/paths/~1audits~1{runId}/get");
        assertThat(status.at("/responses/202/headers/Location/type").asText()).isEqualTo("string");
        assertThat(status.at("/responses/200/schema/$ref").asText()).isEqualTo("#/definitions/AuditReport");
    }

    /** "METHOD /api/path" → shape, from the app's OpenAPI 3 document. */
    private Map<String, Shape> appOperations() {
        Map<String, Shape> operations = new TreeMap<>();
        for (var path : fields(app.path("paths"))) {
            if (!path.getKey().startsWith("/" + FunctionApp.ROUTE_PREFIX + "/")) {
                continue;
            }
            // Microsoft.DataBox/jobs is for ARM's clients and SDKs (docs/DATABOX-ARM-API.md), not the connector.
            if (path.getKey().startsWith("/" + FunctionApp.ROUTE_PREFIX + "/subscriptions/")) {
                continue;
            }
            for (var operation : fields(path.getValue())) {
                if (!HTTP_METHODS.contains(operation.getKey())) {
                    continue;
                }
                JsonNode definition = operation.getValue();
                JsonNode body = definition.path("requestBody");
                JsonNode schema = body.isMissingNode() ? null
                        : resolve(app, body.path("content").elements().next().path("schema"));
                operations.put(key(operation.getKey(), path.getKey()), new Shape(definition.path("operationId").asText(),
                        pathParameters(definition.path("parameters"), path.getValue().path("parameters")),
                        body.path("required").asBoolean(false), requiredFields(schema)));
            }
        }
        return operations;
    }

    /** "METHOD /api/path" → shape, from the connector's OpenAPI 2.0 definition. */
    private Map<String, Shape> connectorOperations() {
        String basePath = connector.path("basePath").asText();
        Map<String, Shape> operations = new TreeMap<>();
        for (var path : fields(connector.path("paths"))) {
            for (var operation : fields(path.getValue())) {
                JsonNode definition = operation.getValue();
                JsonNode body = StreamSupport.stream(definition.path("parameters").spliterator(), false)
                        .filter(parameter -> "body".equals(parameter.path("in").asText())).findFirst().orElse(null);
                operations.put(key(operation.getKey(), basePath + path.getKey()), new Shape(
                        definition.path("operationId").asText(),
                        pathParameters(definition.path("parameters"), path.getValue().path("parameters")),
                        body != null && body.path("required").asBoolean(false),
                        requiredFields(body == null ? null : resolve(connector, body.path("schema")))));
            }
        }
        return operations;
    }

    private static String key(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path;
    }

    private static Set<String> pathParameters(JsonNode operationParameters, JsonNode pathItemParameters) {
        Set<String> names = new TreeSet<>();
        for (JsonNode parameters : new JsonNode[] {operationParameters, pathItemParameters}) {
            for (JsonNode parameter : parameters) {
                if ("path".equals(parameter.path("in").asText())) {
                    names.add(parameter.path("name").asText());
                }
            }
        }
        return names;
    }

    private static Set<String> requiredFields(JsonNode schema) {
        if (schema == null) {
            return Set.of();
        }
        return StreamSupport.stream(schema.path("required").spliterator(), false).map(JsonNode::asText)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Follows a local $ref ("#/components/schemas/X" or "#/definitions/X"). */
    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/") ? resolve(document, document.at(ref.substring(1))) : schema;
    }

    /** "enable-cmk" → "EnableCmk": connector operationIds are the function names in Pascal case. */
    static String pascalCase(String functionName) {
        return Arrays.stream(functionName.split("-"))
                .map(word -> word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1))
                .collect(Collectors.joining());
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> iterator = node.fields();
        return () -> iterator;
    }
}
