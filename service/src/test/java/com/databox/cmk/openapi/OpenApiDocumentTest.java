package com.databox.cmk.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.ResourceRoles;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the app's build writes to target/openapi (quarkus.smallrye-openapi.
 * store-schema-directory), read as a client generator reads it: a plain test, no app running.
 * Any build of the app writes it (quarkus:build, and each @QuarkusTest's build), so this runs
 * after those (pom.xml, surefire execution openapi-document).
 */
class OpenApiDocumentTest {
    static final Path DOCUMENT = Path.of("target/openapi/openapi.json");
    private static final Path FUNCTIONS = Path.of("src/main/functions");
    private static final String ERROR = "#/components/schemas/ErrorJson";

    private static SwaggerParseResult parsed;
    private static OpenAPI document;

    @BeforeAll
    static void parse() {
        assertThat(DOCUMENT)
                .as("the document a build of the app writes; run ./mvnw package (or any @QuarkusTest) " + "first")
                .isRegularFile();
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        parsed = new OpenAPIV3Parser()
                .readLocation(DOCUMENT.toAbsolutePath().toUri().toString(), null, options);
        document = parsed.getOpenAPI();
    }

    @Test
    void isAValidOpenApi3Document() {
        assertThat(parsed.getMessages()).as("validation messages").isEmpty();
        assertThat(document).isNotNull();
        assertThat(document.getOpenapi()).startsWith("3.");
        assertThat(document.getInfo().getTitle()).isNotBlank();
    }

    /**
     * What the routes answer as {@code null} is typed so (OpenAPI 3.1: {@code "type": ["string", "null"]}):
     * typed a plain string, every order a route answered failed a schema validator, and a strict generated
     * client rejected it.
     */
    @Test
    void fieldsTheRoutesAnswerAsNullAreTypedNullable() {
        Map<String, List<String>> nullable = Map.of(
                "KeyHealthJson", List.of("errorCode", "message", "lastCheckedAt"),
                "ErrorDetail", List.of("target", "resolution"),
                "AuditReportJson", List.of("finishedAt"),
                "FindingJson", List.of("resolution"),
                "OrderListJson", List.of("nextLink"),
                "ValidationReportJson", List.of("kekUrl"));
        nullable.forEach((schema, fields) -> {
            for (String field : fields) {
                assertThat(typesOf(schema, field)).as(schema + "." + field).contains("null");
            }
        });
        assertThat(typesOf("KeyHealthJson", "status")).doesNotContain("null");
    }

    private static Set<String> typesOf(String schema, String field) {
        io.swagger.v3.oas.models.media.Schema<?> property =
                (io.swagger.v3.oas.models.media.Schema<?>) document.getComponents()
                        .getSchemas()
                        .get(schema)
                        .getProperties()
                        .get(field);
        return property.getTypes() == null ? Set.of() : property.getTypes();
    }

    @Test
    void serversComeFromConfiguration() {
        String expected = Objects.requireNonNullElse(System.getenv("CMK_PUBLIC_BASE_URL"), "http://127.0.0.1:7071");
        assertThat(document.getServers()).extracting(server -> server.getUrl()).containsExactly(expected);
    }

    /** The host-only trigger routes (/permission-audit, /audit-shard) are no client's business. */
    @Test
    void onlyTheRoutesUnderApiArePublished() {
        assertThat(document.getPaths().keySet()).allMatch(path -> path.startsWith("/api/"));
        assertThat(document.getComponents().getSchemas().keySet())
                .doesNotContain("JsonNode", "JsonNodeType", "InvocationResponse");
    }

    @Test
    void operationIdsAreTheFunctionNames() throws IOException {
        Set<String> httpFunctions;
        try (Stream<Path> folders = Files.list(FUNCTIONS)) {
            // The Microsoft.DataBox/jobs functions are described by Azure's own spec, not this document.
            httpFunctions = folders.filter(
                            folder -> read(folder.resolve("function.json")).contains("httpTrigger")
                                    && !read(folder.resolve("function.json")).contains("Microsoft.DataBox"))
                    .map(folder -> folder.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(operations().keySet()).containsExactlyInAnyOrderElementsOf(httpFunctions);
    }

    /** What a generator needs to type every call: a named object schema for each success and each body. */
    @Test
    void everyOperationHasTypedSuccessAndRequestBodies() {
        operations().forEach((id, operation) -> {
            Map<String, ApiResponse> successes = operation.getResponses().entrySet().stream()
                    .filter(response -> response.getKey().startsWith("2"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(successes).as(id + " success answers").isNotEmpty();
            successes.forEach((status, response) -> assertTypedJson(id + " " + status, response.getContent()));
            if (operation.getRequestBody() != null) {
                assertTypedJson(id + " request body", operation.getRequestBody().getContent());
            }
        });
    }

    @Test
    void everyErrorAnswerHasTheContractsErrorBody() {
        Schema<?> error = document.getComponents().getSchemas().get("ErrorJson");
        assertThat(error.getProperties()).containsOnlyKeys("error");
        Schema<?> detail = document.getComponents().getSchemas().get("ErrorDetail");
        assertThat(detail.getProperties()).containsOnlyKeys("code", "message", "target", "resolution");
        operations().forEach((id, operation) -> {
            Set<String> errors = new TreeSet<>();
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    errors.add(status);
                    assertThat(response.getContent()
                                    .get("application/json")
                                    .getSchema()
                                    .get$ref())
                            .as(id + " " + status)
                            .isEqualTo(ERROR);
                    assertThat(response.getDescription()).as(id + " " + status).isNotBlank();
                }
            });
            assertThat(errors).as(id + " errors").contains("400", "401", "403", "500", "503");
        });
    }

    @Test
    void statusCodesAndHeadersAreThoseTheRoutesAnswer() {
        Map<String, Operation> operations = operations();
        assertThat(operations.get("create-order").getResponses()).containsKeys("201", "200", "409", "412", "415");
        assertThat(headers(operations.get("create-order"), "201")).containsKeys("Location", "ETag");
        assertThat(operations.get("start-audit").getResponses())
                .containsKey("202")
                .doesNotContainKey("200");
        assertThat(headers(operations.get("start-audit"), "202")).containsKeys("Location", "Retry-After");
        assertThat(operations.get("get-audit").getResponses()).containsKeys("200", "202", "404");
        assertThat(headers(operations.get("get-audit"), "202")).containsKeys("Location", "Retry-After");
        assertThat(headers(operations.get("list-credentials"), "200")).containsKey("Cache-Control");
        for (String change : List.of("enable-cmk", "change-key", "change-identity", "use-microsoft-key")) {
            assertThat(operations.get(change).getResponses())
                    .as(change)
                    .containsKeys("200", "404", "409", "412", "503");
            assertThat(headers(operations.get(change), "503")).as(change).containsKey("Retry-After");
        }
        // Every change without If-Match (or with *) can lose its races five times: 409 with Retry-After.
        for (String change : List.of(
                "enable-cmk",
                "change-key",
                "change-identity",
                "use-microsoft-key",
                "update-order-identity",
                "move-order-stage",
                "mitigate-order")) {
            assertThat(operations.get(change).getResponses().get("409").getDescription())
                    .as(change)
                    .contains("OrderChangedConcurrently");
            assertThat(headers(operations.get(change), "409")).as(change).containsKey("Retry-After");
        }
        operations.forEach((id, operation) -> {
            // Every route reaches the service's storage, which may be unavailable.
            assertThat(operation.getResponses().get("503").getDescription())
                    .as(id)
                    .contains("StorageUnavailable");
            assertThat(headers(operation, "503")).as(id).containsKey("Retry-After");
            boolean orderRoute = operation.getParameters() != null
                    && operation.getParameters().stream()
                            .anyMatch(parameter -> "orderName".equals(parameter.getName()));
            if (orderRoute && !id.equals("create-order")) {
                assertThat(operation.getResponses()).as(id).containsKey("404");
            }
        });
    }

    /**
     * validate answers a stale If-Match with 412 (since 2026-12-06), but the header is no parameter of the
     * document: a generated client's validate method would take one argument more, and code calling it would no
     * longer compile.
     */
    @Test
    void validatesIfMatchIsAnsweredButNoParameterOfItsGeneratedMethod() {
        Operation validate = operations().get("validate-encryption");
        assertThat(validate.getResponses()).containsKey("412");
        assertThat(validate.getParameters())
                .extracting(io.swagger.v3.oas.models.parameters.Parameter::getName)
                .containsExactly("orderName");
    }

    /**
     * The bearer scheme only, and on each operation the app roles its resource method allows. No function
     * key: since 2026-12-06 every HTTP function is anonymous to the Functions host (FunctionsHostTest).
     */
    @Test
    void everyOperationNamesTheBearerSchemeOnlyWithTheRolesTheAppEnforces() {
        Map<String, SecurityScheme> schemes = document.getComponents().getSecuritySchemes();
        assertThat(schemes).containsOnlyKeys("EntraId");
        SecurityScheme bearer = schemes.get("EntraId");
        assertThat(bearer.getType()).isEqualTo(SecurityScheme.Type.HTTP);
        assertThat(bearer.getScheme()).isEqualTo("bearer");
        assertThat(schemes.values())
                .as("no API key scheme")
                .noneMatch(scheme -> scheme.getType() == SecurityScheme.Type.APIKEY);
        Map<String, Set<String>> enforced = ResourceRoles.byOperationId();
        assertThat(enforced.keySet())
                .containsExactlyInAnyOrderElementsOf(operations().keySet());
        operations().forEach((id, operation) -> {
            assertThat(operation.getSecurity()).as(id + " security").hasSize(1);
            assertThat(operation.getSecurity().get(0)).as(id + " security").containsOnlyKeys("EntraId");
            assertThat(new TreeSet<>(operation.getSecurity().get(0).get("EntraId")))
                    .as(id + " roles")
                    .isEqualTo(enforced.get(id));
        });
    }

    private static void assertTypedJson(String what, io.swagger.v3.oas.models.media.Content content) {
        assertThat(content).as(what + " content").isNotNull().containsKey("application/json");
        MediaType json = content.get("application/json");
        assertThat(json.getSchema()).as(what + " schema").isNotNull();
        String ref = json.getSchema().get$ref();
        assertThat(ref).as(what + " schema is a named component").startsWith("#/components/schemas/");
        Schema<?> schema = document.getComponents().getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1));
        assertThat(schema).as(what + " " + ref).isNotNull();
        assertThat(schema.getProperties()).as(what + " " + ref + " properties").isNotEmpty();
    }

    private static Map<String, Header> headers(Operation operation, String status) {
        Map<String, Header> headers = operation.getResponses().get(status).getHeaders();
        return headers == null ? Map.of() : headers;
    }

    /** operationId → operation, every path and method. */
    static Map<String, Operation> operations() {
        Map<String, Operation> operations = new TreeMap<>();
        for (PathItem item : document.getPaths().values()) {
            item.readOperationsMap().forEach((method, operation) -> {
                assertThat(operation.getOperationId())
                        .as(method + " operationId")
                        .isNotBlank();
                assertThat(operations.put(operation.getOperationId(), operation))
                        .as(operation.getOperationId())
                        .isNull();
            });
        }
        return operations;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
