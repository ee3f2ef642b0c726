package com.databox.cmk.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.ResourceRoles;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.ConfigProvider;
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
    record Shape(
            String operationId,
            Set<String> pathParameters,
            Map<String, String> queryParameters,
            boolean bodyRequired,
            Set<String> requiredBodyFields) {}

    private JsonNode connector;
    private JsonNode app;

    @BeforeEach
    void readBothDocuments() {
        connector = FunctionApp.read(DEFINITION);
        app = FunctionApp.parse(given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /**
     * A connection uses one kind of authentication (Entra ID here): a second security definition would
     * never be sent. And a Logic Apps custom connector has no policy templates, so the connector sends no
     * function key (no api_key parameter, no setheader policy): the functions are anonymous to the host
     * and the app checks the token (since 2026-12-06).
     */
    @Test
    void connectorIsSwagger2WithTheEntraIdConnectionOnly() {
        assertThat(connector.path("swagger").asText()).isEqualTo("2.0");
        assertThat(connector.path("basePath").asText()).isEqualTo("/" + FunctionApp.ROUTE_PREFIX);
        assertThat(connector.path("host").asText()).isNotBlank();
        assertThat(fields(connector.path("securityDefinitions")))
                .extracting(Map.Entry::getKey)
                .containsExactly("oauth2_auth");

        JsonNode properties = FunctionApp.read(PROPERTIES).path("properties");
        assertThat(fields(properties.path("connectionParameters")))
                .extracting(Map.Entry::getKey)
                .as("connection parameters: the Entra ID sign-in only")
                .containsExactly("token");
        assertThat(properties.at("/connectionParameters/token/type").asText()).isEqualTo("oauthSetting");
        assertThat(properties.path("policyTemplateInstances").size())
                .as("policy templates (Power Platform only; none in Logic Apps)")
                .isZero();
        assertThat(FunctionApp.read(PROPERTIES).toString())
                .as("nothing sends a function key")
                .doesNotContainIgnoringCase("x-functions-key")
                .doesNotContain("api_key");
        assertThat(properties.path("iconBrandColor").asText()).matches("#[0-9a-fA-F]{6}");
    }

    /**
     * The connection signs in with Microsoft Entra ID ("aad") for the service's application ID URI,
     * the audience the app accepts.
     */
    @Test
    void connectorSignsInWithEntraIdForTheAppsAudience() {
        JsonNode oauth = connector.at("/securityDefinitions/oauth2_auth");
        assertThat(oauth.path("type").asText()).isEqualTo("oauth2");
        assertThat(oauth.path("flow").asText()).isEqualTo("accessCode");
        assertThat(oauth.path("authorizationUrl").asText()).startsWith("https://login.microsoftonline.com/");
        assertThat(oauth.path("tokenUrl").asText()).startsWith("https://login.microsoftonline.com/");
        assertThat(connector.at("/security/0").has("oauth2_auth")).isTrue();

        List<String> audiences = ConfigProvider.getConfig().getValues("mp.jwt.verify.audiences", String.class);
        JsonNode parameters = FunctionApp.read(PROPERTIES).at("/properties/connectionParameters");
        JsonNode token = parameters.path("token");
        assertThat(token.path("type").asText()).isEqualTo("oauthSetting");
        JsonNode settings = token.path("oAuthSettings");
        assertThat(settings.path("identityProvider").asText()).isEqualTo("aad");
        assertThat(settings.path("clientId").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        String resource =
                settings.at("/properties/AzureActiveDirectoryResourceId").asText();
        assertThat(audiences).as("the app's accepted audiences").contains(resource);
        assertThat(settings.at("/customParameters/resourceUri/value").asText()).isEqualTo(resource);
        assertThat(settings.at("/customParameters/loginUri/value").asText())
                .isEqualTo("https://login.microsoftonline.com");
        assertThat(settings.path("scopes").get(0).asText()).isEqualTo(resource + "/.default");
    }

    /**
     * Each connector operation asks for what the app enforces on its route: an Entra ID token holding
     * exactly the roles the resource method allows; the app's own OpenAPI document says the same. The
     * host asks for nothing (authLevel anonymous): a Logic Apps connector could not send a function key.
     */
    @Test
    void everyOperationsSecurityIsWhatTheAppEnforces() {
        Map<String, Set<String>> enforced = ResourceRoles.byOperationId();
        Map<String, Set<String>> connectorRoles = new TreeMap<>();
        for (var path : fields(connector.path("paths"))) {
            for (var operation : fields(path.getValue())) {
                JsonNode definition = operation.getValue();
                String operationId = definition.path("operationId").asText();
                JsonNode security =
                        definition.has("security") ? definition.path("security") : connector.path("security");
                assertThat(security.size()).as(operationId + " security").isEqualTo(1);
                JsonNode requirement = security.get(0);
                assertThat(fields(requirement))
                        .extracting(Map.Entry::getKey)
                        .as(operationId + " Entra ID only")
                        .containsExactly("oauth2_auth");
                Set<String> roles = new TreeSet<>();
                requirement.path("oauth2_auth").forEach(role -> roles.add(role.asText()));
                roles.forEach(role -> assertThat(connector
                                .at("/securityDefinitions/oauth2_auth/scopes")
                                .has(role))
                        .as(operationId + " role " + role + " is defined")
                        .isTrue());
                connectorRoles.put(operationId, roles);
            }
        }
        Map<String, Set<String>> expected = new TreeMap<>();
        enforced.forEach((operationId, roles) -> expected.put(pascalCase(operationId), roles));
        assertThat(connectorRoles).isEqualTo(expected);

        Map<String, Set<String>> documented = new TreeMap<>();
        for (var path : fields(app.path("paths"))) {
            if (path.getKey().contains("/providers/Microsoft.DataBox/")) {
                continue; // the jobs surface is for ARM's clients (docs/DATABOX-ARM-API.md), not the connector
            }
            for (var operation : fields(path.getValue())) {
                JsonNode requirement = operation.getValue().path("security").path(0);
                Set<String> roles = new TreeSet<>();
                fields(requirement).forEach(scheme -> scheme.getValue().forEach(role -> roles.add(role.asText())));
                documented.put(operation.getValue().path("operationId").asText(), roles);
            }
        }
        assertThat(documented).isEqualTo(enforced);
        for (var function : FunctionApp.httpFunctions()) {
            assertThat(function.trigger().path("authLevel").asText())
                    .as(function.name() + ": the connector sends no function key")
                    .isEqualTo("anonymous");
        }
    }

    @Test
    void everyOperationTheAppServesIsInTheConnectorWithTheSameShape() {
        Map<String, Shape> connectorOperations = connectorOperations();
        Map<String, Shape> appOperations = appOperations();
        assertThat(appOperations).isNotEmpty();
        appOperations.forEach((operation, appShape) -> {
            Shape expected = new Shape(
                    pascalCase(appShape.operationId()),
                    appShape.pathParameters(),
                    appShape.queryParameters(),
                    appShape.bodyRequired(),
                    appShape.requiredBodyFields());
            assertThat(connectorOperations.get(operation))
                    .as("connector operation " + operation)
                    .isEqualTo(expected);
        });
    }

    /**
     * Every member of a request body and of a success answer, nested ones too, is in the connector as in the app's
     * document, and no other: a member the connector lacks is one the Logic Apps designer cannot offer (a new
     * optional member passed every other check here, onboarding bash ob1 M3; the audit report's {@code shards} and
     * {@code shardsDone} had been left out). An operation's success answers are compared together: the connector
     * gives a long-running operation's result under {@code 200}, where the app documents its first answer,
     * {@code 202}.
     */
    @Test
    void everyMemberOfEveryBodyAndSuccessAnswerIsInTheConnector() {
        String basePath = connector.path("basePath").asText();
        Map<String, Set<String>> inTheApp = new TreeMap<>();
        Map<String, Set<String>> inTheConnector = new TreeMap<>();
        for (var path : fields(connector.path("paths"))) {
            for (var operation : fields(path.getValue())) {
                String operationKey = key(operation.getKey(), basePath + path.getKey());
                JsonNode appOperation =
                        app.path("paths").path(basePath + path.getKey()).path(operation.getKey());
                Set<String> appBody = new TreeSet<>();
                appOperation
                        .path("requestBody")
                        .path("content")
                        .forEach(type -> members(app, type.path("schema"), "", appBody, 0));
                Set<String> connectorBody = new TreeSet<>();
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    if ("body".equals(parameter.path("in").asText())) {
                        members(connector, parameter.path("schema"), "", connectorBody, 0);
                    }
                }
                inTheApp.put(operationKey + " body", appBody);
                inTheConnector.put(operationKey + " body", connectorBody);

                Set<String> appAnswers = new TreeSet<>();
                for (var response : fields(appOperation.path("responses"))) {
                    if (response.getKey().startsWith("2")) {
                        members(app, response.getValue().at("/content/application~1json/schema"), "", appAnswers, 0);
                    }
                }
                Set<String> connectorAnswers = new TreeSet<>();
                for (var response : fields(operation.getValue().path("responses"))) {
                    if (response.getKey().startsWith("2")) {
                        members(connector, response.getValue().path("schema"), "", connectorAnswers, 0);
                    }
                }
                inTheApp.put(operationKey + " answer", appAnswers);
                inTheConnector.put(operationKey + " answer", connectorAnswers);
            }
        }
        assertThat(inTheApp.values().stream().mapToInt(Set::size).sum())
                .as("members compared")
                .isGreaterThan(100);
        assertThat(inTheConnector).isEqualTo(inTheApp);
    }

    /** The dotted paths of a schema's members ({@code .a.b}, {@code .list[].c}, {@code .map{}.d}), references followed. */
    private static void members(JsonNode document, JsonNode schema, String prefix, Set<String> into, int depth) {
        JsonNode resolved = resolve(document, schema);
        if (depth > 12) {
            return;
        }
        for (JsonNode alternative : resolved.path("anyOf")) {
            if (!alternative.path("type").asText().equals("null")) {
                members(document, alternative, prefix, into, depth + 1);
            }
        }
        if (resolved.has("items")) {
            members(document, resolved.path("items"), prefix + "[]", into, depth + 1);
        }
        if (resolved.path("additionalProperties").isObject()) {
            members(document, resolved.path("additionalProperties"), prefix + "{}", into, depth + 1);
        }
        for (var member : fields(resolved.path("properties"))) {
            into.add(prefix + "." + member.getKey());
            members(document, member.getValue(), prefix + "." + member.getKey(), into, depth + 1);
        }
    }

    @Test
    void everyConnectorOperationIsServedByTheApp() {
        assertThat(appOperations().keySet())
                .containsExactlyInAnyOrderElementsOf(connectorOperations().keySet());
    }

    /**
     * The designer names each member of an answer by its {@code x-ms-summary}, else by its bare name: a stage
     * error's {@code message} read "message" next to key health's "Message" (Logic Apps bash F4).
     */
    @Test
    void everyMemberOfEveryDefinitionHasASummaryForTheDesigner() {
        for (var definition : fields(connector.path("definitions"))) {
            assertSummarized(definition.getKey(), definition.getValue());
        }
    }

    private static void assertSummarized(String path, JsonNode schema) {
        for (var member : fields(schema.path("properties"))) {
            String memberPath = path + "." + member.getKey();
            if (!member.getValue().has("$ref")) {
                assertThat(member.getValue().path("x-ms-summary").asText())
                        .as(memberPath)
                        .isNotBlank();
            }
            assertSummarized(memberPath, member.getValue());
        }
        if (schema.has("items")) {
            assertSummarized(path + "[]", schema.path("items"));
        }
    }

    @Test
    void everyConnectorOperationIsDescribedForTheDesigner() {
        for (var path : fields(connector.path("paths"))) {
            for (var operation : fields(path.getValue())) {
                String name = operation.getKey() + " " + path.getKey();
                JsonNode definition = operation.getValue();
                assertThat(definition.path("operationId").asText()).as(name).matches("[A-Z][A-Za-z0-9]+");
                assertThat(definition.path("summary").asText())
                        .as(name)
                        .isNotBlank()
                        .hasSizeLessThan(80);
                assertThat(definition.path("description").asText()).as(name).isNotBlank();
                assertThat(definition.path("x-ms-visibility").asText())
                        .as(name)
                        .isIn("important", "advanced", "internal");
                assertThat(definition.path("responses").size()).as(name).isGreaterThan(1);
                for (JsonNode parameter : definition.path("parameters")) {
                    String parameterName =
                            name + " parameter " + parameter.path("name").asText();
                    assertThat(parameter.path("x-ms-summary").asText())
                            .as(parameterName)
                            .isNotBlank();
                    assertThat(parameter.path("description").asText())
                            .as(parameterName)
                            .isNotBlank();
                    assertThat(parameter.path("x-ms-visibility").asText())
                            .as(parameterName)
                            .isIn("", "important", "advanced", "internal");
                }
            }
        }
    }

    /**
     * Logic Apps checks an action's answer against the connector's schema (as a Parse JSON step built from it
     * does): a member typed {@code string} that is answered {@code null} fails the action unless the member
     * is {@code x-nullable}. Every member of an answer that the app's document allows to be null (a healthy
     * order's {@code keyHealth.errorCode}, a running audit's {@code finishedAt}, an error's {@code target})
     * is nullable in the connector.
     */
    @Test
    void everyMemberTheAppMayAnswerAsNullIsNullableInTheConnector() {
        String basePath = connector.path("basePath").asText();
        List<String> notNullable = new ArrayList<>();
        int compared = 0;
        for (var path : fields(connector.path("paths"))) {
            for (var operation : fields(path.getValue())) {
                JsonNode appResponses = app.path("paths")
                        .path(basePath + path.getKey())
                        .path(operation.getKey())
                        .path("responses");
                for (var response : fields(operation.getValue().path("responses"))) {
                    JsonNode connectorSchema = response.getValue().path("schema");
                    JsonNode appSchema = appResponse(appResponses, response.getKey())
                            .path("content")
                            .path("application/json")
                            .path("schema");
                    if (!connectorSchema.isMissingNode() && !appSchema.isMissingNode()) {
                        compared += compareNullability(
                                resolve(connector, connectorSchema),
                                nonNull(appSchema),
                                key(operation.getKey(), path.getKey()) + " " + response.getKey(),
                                notNullable);
                    }
                }
            }
        }
        assertThat(compared).as("members compared").isGreaterThan(40);
        assertThat(notNullable)
                .as("members the app may answer null, not x-nullable in the connector")
                .isEmpty();
    }

    /** The app's answer of {@code status}; for the connector's {@code default}, its errors' (all of one shape). */
    private static JsonNode appResponse(JsonNode appResponses, String status) {
        if (!status.equals("default")) {
            return appResponses.path(status);
        }
        for (var response : fields(appResponses)) {
            if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                return response.getValue();
            }
        }
        return appResponses.path(status);
    }

    /** How many members of {@code appSchema} the connector's schema has too, each checked, nested ones too. */
    private int compareNullability(
            JsonNode connectorSchema, JsonNode appSchema, String where, List<String> notNullable) {
        int compared = 0;
        if (appSchema.has("items")) {
            compared += compareNullability(
                    resolve(connector, connectorSchema.path("items")),
                    nonNull(appSchema.path("items")),
                    where + "[]",
                    notNullable);
        }
        for (var property : fields(appSchema.path("properties"))) {
            JsonNode connectorProperty = connectorSchema.path("properties").path(property.getKey());
            if (connectorProperty.isMissingNode()) {
                continue;
            }
            String member = where + " ." + property.getKey();
            compared++;
            if (allowsNull(property.getValue())
                    && !connectorProperty.path("x-nullable").asBoolean(false)) {
                notNullable.add(member);
            }
            compared += compareNullability(
                    resolve(connector, connectorProperty), nonNull(property.getValue()), member, notNullable);
        }
        return compared;
    }

    /** OpenAPI 3.1's ways of allowing null: {@code type: [string, "null"]}, or a {@code null} alternative. */
    private static boolean allowsNull(JsonNode schema) {
        for (JsonNode type : schema.path("type")) {
            if (type.asText().equals("null")) {
                return true;
            }
        }
        for (JsonNode alternative : schema.path("anyOf")) {
            if (alternative.path("type").asText().equals("null")) {
                return true;
            }
        }
        return false;
    }

    /** The app's schema of a member, its non-null alternative where it has one, references followed. */
    private JsonNode nonNull(JsonNode schema) {
        for (JsonNode alternative : schema.path("anyOf")) {
            if (!alternative.path("type").asText().equals("null")) {
                return resolve(app, alternative);
            }
        }
        return resolve(app, schema);
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
                JsonNode schema = body.isMissingNode()
                        ? null
                        : resolve(app, body.path("content").elements().next().path("schema"));
                operations.put(
                        key(operation.getKey(), path.getKey()),
                        new Shape(
                                definition.path("operationId").asText(),
                                pathParameters(
                                        definition.path("parameters"),
                                        path.getValue().path("parameters")),
                                queryParameters(definition.path("parameters")),
                                body.path("required").asBoolean(false),
                                requiredFields(schema)));
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
                JsonNode body = StreamSupport.stream(
                                definition.path("parameters").spliterator(), false)
                        .filter(parameter -> "body".equals(parameter.path("in").asText()))
                        .findFirst()
                        .orElse(null);
                operations.put(
                        key(operation.getKey(), basePath + path.getKey()),
                        new Shape(
                                definition.path("operationId").asText(),
                                pathParameters(
                                        definition.path("parameters"),
                                        path.getValue().path("parameters")),
                                queryParameters(definition.path("parameters")),
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

    /**
     * Each query parameter's name → its type and bounds, "integer 1..1000": a generated client or the connector's
     * designer types the value from them (the app's document typed ?top= a string, where the connector has an
     * integer of 1 to 1000). The type is the schema's (OpenAPI 3) or the parameter's own (2.0).
     */
    private static Map<String, String> queryParameters(JsonNode parameters) {
        Map<String, String> types = new TreeMap<>();
        for (JsonNode parameter : parameters) {
            if ("query".equals(parameter.path("in").asText())) {
                JsonNode typed = parameter.has("schema") ? parameter.path("schema") : parameter;
                String bounds = typed.has("minimum") || typed.has("maximum")
                        ? " " + typed.path("minimum").asText("") + ".."
                                + typed.path("maximum").asText("")
                        : "";
                types.put(parameter.path("name").asText(), typed.path("type").asText() + bounds);
            }
        }
        return types;
    }

    private static Set<String> requiredFields(JsonNode schema) {
        if (schema == null) {
            return Set.of();
        }
        return StreamSupport.stream(schema.path("required").spliterator(), false)
                .map(JsonNode::asText)
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
