package com.databox.cmk.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.app.CmkConfig;
import com.databox.cmk.functions.FunctionApp.Function;
import com.databox.cmk.functions.FunctionApp.HttpRoute;
import com.databox.cmk.functions.ServedRoutes.ServedRoute;
import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Plays the Azure Functions host (ARCHITECTURE.md, "custom handler") against the real host.json
 * and function.json files: HTTP requests are forwarded unchanged under /api, every other trigger
 * is POSTed to /{functionName} with the host's invocation body.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class FunctionsHostTest {
    private static final String NO_SUCH_ROUTE = "There is no such route.";
    private static final Pattern ROUTE_PARAMETER = Pattern.compile("\\{([^}]+)}");

    @Test
    void hostJsonStartsTheHandlerExecutableAndForwardsHttpRequests() {
        JsonNode host = FunctionApp.read(FunctionApp.HOST_JSON);
        assertThat(host.path("version").asText()).isEqualTo("2.0");
        String executable =
                host.at("/customHandler/description/defaultExecutablePath").asText();
        assertThat(executable).isEqualTo("handler");
        assertThat(Path.of("src/main/launcher", executable)).isRegularFile().isExecutable();
        assertThat(host.at("/customHandler/enableForwardingHttpRequest").asBoolean())
                .isTrue();
        assertThat(host.at("/extensionBundle/id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
        assertThat(host.at("/extensionBundle/version").asText()).isEqualTo("[4.*, 5.0.0)");
        assertThat(host.at("/extensions/http/routePrefix").asText()).isEqualTo(FunctionApp.ROUTE_PREFIX);
    }

    @Inject
    CmkConfig config;

    /**
     * The host runs up to batchSize plus newBatchThreshold messages of a queue function at once (its defaults:
     * 16 plus 8, unless dynamic concurrency sets its own); each audit shard holds a page of orders in memory,
     * and the instance's heap is sized for as many as it audits at once.
     */
    @Test
    void hostJsonHandsOverNoMoreAuditShardsAtOnceThanAnInstanceAudits() {
        JsonNode host = FunctionApp.read(FunctionApp.HOST_JSON);
        JsonNode queues = host.at("/extensions/queues");
        assertThat(queues.path("batchSize").isInt())
                .as("queues.batchSize is set")
                .isTrue();
        assertThat(queues.path("newBatchThreshold").isInt())
                .as("queues.newBatchThreshold is set")
                .isTrue();
        assertThat(queues.path("batchSize").asInt()
                        + queues.path("newBatchThreshold").asInt())
                .isEqualTo(config.audit().shardsAtOnce());
        assertThat(host.at("/concurrency/dynamicConcurrencyEnabled").asBoolean(false))
                .isFalse();
    }

    @Test
    void localSettingsRunTheCustomHandlerWithTheHourlyAudit() {
        JsonNode values = FunctionApp.read(FunctionApp.LOCAL_SETTINGS).path("Values");
        assertThat(values.path("FUNCTIONS_WORKER_RUNTIME").asText()).isEqualTo("Custom");
        assertThat(values.path("AzureWebJobsStorage").asText()).isEqualTo("UseDevelopmentStorage=true");
        assertThat(values.path("AUDIT_SCHEDULE").asText().split(" "))
                .as("NCRONTAB has six fields")
                .hasSize(6);
        assertThat(values.path("IDENTITY_SWEEP_SCHEDULE").asText().split(" "))
                .as("NCRONTAB has six fields")
                .hasSize(6);
    }

    /**
     * {@code func start} gives the handler local.settings.json's values and nothing else: every setting the local
     * profile reads without a default must be there (review rv7 L7: two were missing, and the recipe worked only
     * in a shell that had loaded .local/demo.env).
     */
    @Test
    void localSettingsNameEverySettingTheLocalProfileNeeds() throws IOException {
        JsonNode values = FunctionApp.read(FunctionApp.LOCAL_SETTINGS).path("Values");
        Matcher needed = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}")
                .matcher(Files.readString(Path.of("src/main/resources/application.properties"))
                        .lines()
                        .filter(line -> line.startsWith("%local."))
                        .collect(Collectors.joining("\n")));
        List<String> missing = new ArrayList<>();
        while (needed.find()) {
            if (!values.has(needed.group(1))) {
                missing.add(needed.group(1));
            }
        }
        assertThat(missing)
                .as("settings the local profile reads without a default")
                .isEmpty();
        // Read with an empty default, and required at start (ConfigurationCheck).
        assertThat(values.path("CMK_MICROSOFT_KEY_URL").asText()).startsWith("https://");
    }

    @Test
    void everyHttpFunctionTakesOneMethodAnonymouslyAndAnswersThroughItsReturnValue() {
        assertThat(FunctionApp.httpFunctions()).isNotEmpty();
        for (Function function : FunctionApp.httpFunctions()) {
            JsonNode trigger = function.trigger();
            // No HTTP function asks the host for a function key: ARM's clients (the Microsoft.DataBox/jobs
            // routes) and a Logic Apps custom connector (/api/orders, /api/audits) send a bearer token and
            // no key. The app checks the token and the app roles on every route.
            assertThat(trigger.path("authLevel").asText())
                    .as(function.name() + " authLevel")
                    .isEqualTo("anonymous");
            assertThat(trigger.path("direction").asText()).as(function.name()).isEqualTo("in");
            assertThat(trigger.path("route").asText())
                    .as(function.name() + " route, without the prefix")
                    .isNotBlank()
                    .doesNotStartWith("/")
                    .doesNotStartWith(FunctionApp.ROUTE_PREFIX + "/");
            assertThat(trigger.path("methods")).as(function.name()).hasSize(1);
            assertThat(function.stream()
                            .filter(binding -> "http"
                                            .equals(binding.path("type").asText())
                                    && "out".equals(binding.path("direction").asText())
                                    && "$return".equals(binding.path("name").asText())))
                    .as(function.name() + " http output binding $return")
                    .hasSize(1);
        }
    }

    @Test
    void timerAndQueueFunctionsBindTheAuditAndOutboxTriggers() {
        JsonNode timer = FunctionApp.function("permission-audit").trigger();
        assertThat(timer.path("type").asText()).isEqualTo("timerTrigger");
        assertThat(timer.path("name").asText()).isEqualTo("timer");
        assertThat(timer.path("direction").asText()).isEqualTo("in");
        assertThat(timer.path("schedule").asText()).isEqualTo("%AUDIT_SCHEDULE%");
        // A start that fails (storage blips, 503) is retried by the host, not left to the next day's schedule.
        JsonNode retry = FunctionApp.read(FunctionApp.FUNCTIONS.resolve("permission-audit/function.json"))
                .path("retry");
        assertThat(retry.path("strategy").asText()).isEqualTo("exponentialBackoff");
        assertThat(retry.path("maxRetryCount").asInt()).isPositive();

        JsonNode queue = FunctionApp.function("audit-shard").trigger();
        assertThat(queue.path("type").asText()).isEqualTo("queueTrigger");
        assertThat(queue.path("name").asText()).isEqualTo("shard");
        assertThat(queue.path("direction").asText()).isEqualTo("in");
        assertThat(queue.path("queueName").asText()).isEqualTo("cmk-audit-shards");
        assertThat(queue.path("connection").asText()).isEqualTo("AzureWebJobsStorage");

        JsonNode sweep = FunctionApp.function("identity-sweep").trigger();
        assertThat(sweep.path("type").asText()).isEqualTo("timerTrigger");
        assertThat(sweep.path("schedule").asText()).isEqualTo("%IDENTITY_SWEEP_SCHEDULE%");

        // The outbox sweep: a fixed schedule, every minute (ARCHITECTURE.md, "Events: the outbox").
        JsonNode outbox = FunctionApp.function("outbox-relay").trigger();
        assertThat(outbox.path("type").asText()).isEqualTo("timerTrigger");
        assertThat(outbox.path("name").asText()).isEqualTo("timer");
        assertThat(outbox.path("direction").asText()).isEqualTo("in");
        assertThat(outbox.path("schedule").asText()).isEqualTo("0 * * * * *");

        assertThat(FunctionApp.functions().stream()
                        .filter(function -> !function.isHttp())
                        .map(Function::name))
                .containsExactlyInAnyOrder("permission-audit", "audit-shard", "identity-sweep", "outbox-relay");
    }

    /** One test per HTTP function: its method on its route reaches a resource method, not the "no route" answer. */
    @TestFactory
    Stream<DynamicTest> everyHttpFunctionReachesAResourceMethod() {
        return FunctionApp.httpFunctions().stream()
                .map(function -> DynamicTest.dynamicTest(function.name() + " " + HttpRoute.of(function), () -> {
                    HttpRoute route = HttpRoute.of(function);
                    Response answer = forward(route);
                    String message = answer.statusCode() >= 400 ? answer.path("error.message") : null;
                    assertThat(answer.statusCode())
                            .as(route + " answered " + answer.asString())
                            .isNotEqualTo(405);
                    assertThat(message)
                            .as(route + " answered " + answer.asString())
                            .isNotEqualTo(NO_SUCH_ROUTE);
                    assertThat(answer.statusCode())
                            .as(route + " answered " + answer.asString())
                            .isLessThan(500);
                }));
    }

    @Test
    void everyResourceMethodUnderApiIsServedByExactlyOneFunction() {
        Map<HttpRoute, List<String>> functionsByRoute = FunctionApp.httpFunctions().stream()
                .collect(Collectors.groupingBy(HttpRoute::of, Collectors.mapping(Function::name, Collectors.toList())));
        List<ServedRoute> served = ServedRoutes.underApi();
        assertThat(served).isNotEmpty();
        for (ServedRoute route : served) {
            assertThat(functionsByRoute.getOrDefault(route.route(), List.of()))
                    .as("functions for " + route.javaMethod() + " (" + route.route() + ")")
                    .hasSize(1);
        }
    }

    @Test
    void everyHttpFunctionRouteIsServedByAResourceMethod() {
        Set<HttpRoute> served =
                ServedRoutes.underApi().stream().map(ServedRoute::route).collect(Collectors.toSet());
        assertThat(FunctionApp.httpFunctions())
                .allSatisfy(function -> assertThat(served)
                        .as("a resource method serving " + function.name())
                        .contains(HttpRoute.of(function)));
    }

    /** The OpenAPI operationId of a route is the name of the function that serves it. */
    @Test
    void openApiOperationIdsAreTheFunctionNames() {
        Map<HttpRoute, String> functionByRoute =
                FunctionApp.httpFunctions().stream().collect(Collectors.toMap(HttpRoute::of, Function::name));
        JsonPath openApi = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = openApi.getMap("paths");
        int apiOperations = 0;
        for (var path : paths.entrySet()) {
            if (!HttpRoute.normalise(path.getKey()).startsWith(FunctionApp.ROUTE_PREFIX + "/")) {
                continue;
            }
            for (var operation : path.getValue().entrySet()) {
                HttpRoute route = new HttpRoute(
                        operation.getKey().toUpperCase(java.util.Locale.ROOT), HttpRoute.normalise(path.getKey()));
                assertThat(operation.getValue().get("operationId"))
                        .as("operationId of " + route)
                        .isEqualTo(functionByRoute.get(route));
                apiOperations++;
            }
        }
        Set<String> undocumentedPackages =
                Set.of(ConfigProvider.getConfig().getValue("mp.openapi.scan.exclude.packages", String[].class));
        assertThat(apiOperations).isEqualTo((int) ServedRoutes.underApi().stream()
                .filter(served -> !undocumentedPackages.contains(served.javaPackage()))
                .count());
    }

    /**
     * The timer trigger as the host invokes it: POST /permission-audit. Fails until the audit
     * (issue 5, another branch) serves this endpoint.
     */
    @Test
    void timerInvocationAnswersWithTheCustomHandlerShape() {
        String invocation = """
                {"Data":{"timer":{"Schedule":{"AdjustForDST":true},\
                "ScheduleStatus":{"Last":"0001-01-01T00:00:00","Next":"%1$s","LastUpdated":"0001-01-01T00:00:00"},\
                "IsPastDue":false}},\
                "Metadata":{"sys":{"MethodName":"permission-audit","UtcNow":"%1$s","RandGuid":"%2$s"}}}""".formatted(Instant.now(), UUID.randomUUID());
        JsonNode answer = invoke("permission-audit", invocation);
        assertThat(answer.has("Outputs")).as(answer.toString()).isTrue();
        assertThat(answer.path("Logs").isArray()).as(answer.toString()).isTrue();
        assertThat(answer.has("ReturnValue")).as(answer.toString()).isTrue();
    }

    /**
     * The queue trigger as the host invokes it (POST /audit-shard), the message handed over as a JSON string (Data.shard
     * is a string holding the shard): it is read as the shard and reaches the audit, which refuses a run it never
     * queued, not the adapter as "not a shard". (A test before it sent a field the shard does not have and checked
     * only that the route was served, so it passed on the adapter's refusal; vt2.)
     */
    @Test
    void aQueueMessageHandedOverAsAStringIsReadAsTheShard() {
        String message = "{\"runId\":\"" + UUID.randomUUID() + "\",\"index\":0}";
        String invocation = """
                {"Data":{"shard":%1$s},\
                "Metadata":{"DequeueCount":1,"Id":"%2$s","InsertionTime":"%3$s",\
                "sys":{"MethodName":"audit-shard","UtcNow":"%3$s","RandGuid":"%2$s"}}}""".formatted(
                com.fasterxml.jackson.databind.node.TextNode.valueOf(message), UUID.randomUUID(), Instant.now());
        Response answer = given().contentType(ContentType.JSON).body(invocation).post("/audit-shard");
        assertThat(answer.asString())
                .as("read as a shard, refused by the audit as one its run never queued")
                .contains("not one its audit run queued")
                .doesNotContain("Data.shard");
    }

    private static JsonNode invoke(String functionName, String invocation) {
        Response answer = given().contentType(ContentType.JSON).body(invocation).post("/" + functionName);
        assertThat(answer.statusCode())
                .as("POST /" + functionName + " answered " + answer.asString())
                .isEqualTo(200);
        return FunctionApp.parse(answer.asString());
    }

    /** What the host does with enableForwardingHttpRequest: the same method and path, prefix included. */
    private static Response forward(HttpRoute route) {
        Matcher parameters = ROUTE_PARAMETER.matcher(route.template());
        String path = "/"
                + parameters.replaceAll(parameter -> switch (parameter.group(1)) {
                    case "orderName" -> "fn-" + UUID.randomUUID().toString().substring(0, 12);
                    default -> UUID.randomUUID().toString();
                });
        var request = given().accept(ContentType.JSON);
        if (Set.of("POST", "PUT", "PATCH").contains(route.method())) {
            request = request.contentType(ContentType.JSON).body("{}");
        }
        return request.request(route.method(), path);
    }
}
