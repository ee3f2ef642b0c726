package com.databox.cmk.fuzz;

import static com.databox.cmk.fuzz.HostileInputs.draw;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.databox.cmk.edge.EdgeFilter;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every route of the HTTP API with hostile input from jqwik's generators (see
 * {@link HostileInputs}). jqwik's own engine cannot start the app of a {@code @QuarkusTest}, so this is a
 * plain Jupiter {@code @QuarkusTest} that draws from jqwik {@link Arbitrary}s in a loop with a fixed
 * seed and a bounded count: {@code -Dfuzz.tries=N} (default 400 requests in all) and
 * {@code -Dfuzz.seed=S} (default fixed; a failure names the seed and the request to replay).
 * <p>Properties: never a 5xx (a {@code KeyVaultUnavailable} 503 aside), every 4xx in the contract's
 * error shape with a JSON content type, no state change from rejected input (an order made before the
 * run keeps its ETag, stored wrapped key and password; the order count grows only by the creates that
 * answered 201), and a key URL refused as such caused no call to the vault it pointed at.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class ApiFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRIES = Integer.getInteger("fuzz.tries", 400);
    private static final long SEED = Long.getLong("fuzz.seed", 20261128L);
    private static final Set<String> URL_REFUSALS = Set.of(
            "SsemUserErrorInvalidKeyVaultUrl",
            "SsemUserErrorKeyVaultUrlWithInvalidScheme",
            "SsemUserErrorKeyVaultUrlInvalidHost",
            // the length limits of the request body, checked before the URL itself
            "InvalidRequest");
    private static final int MAX_REPORTED = 15;

    @TestHTTPResource("/")
    URL base;

    private static HttpClient http;
    private static String token;

    /** An order that every rejected request aims at; it must come out exactly as it went in. */
    private static CmkOrder reference;

    private static CustomerKeyVault referenceVault;
    /** A vault that hostile key URLs point at: refused URLs must never reach it. */
    private static CustomerKeyVault bait;

    private final List<String> failures = new ArrayList<>();
    private final List<String> codecRefusals = new ArrayList<>();
    private int sent;
    private int created;
    private int staleConnections;

    /** Not in a @BeforeAll: REST Assured learns the app's port only before each test. */
    private static void setUp() {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        token = LocalStack.callerToken(LocalStack.ALL_ROLES);
        referenceVault = CustomerKeyVault.create();
        reference = CmkOrder.create().enableUserAssigned(referenceVault);
        bait = CustomerKeyVault.create();
    }

    @AfterAll
    static void tearDown() {
        http.close();
    }

    @Test
    void hostileInputNeverBreaksTheServiceOrChangesState() throws Exception {
        setUp();
        CmkOrder.Snapshot before = reference.snapshot();
        long ordersBefore = countOrders();
        long baitCallsBefore = EmulatorTestSupport.admin().requests(bait.name()).total();
        Random random = new Random(SEED);
        String baitHostPort = URI.create(bait.vaultUrl()).getAuthority();
        String identity = referenceVault.identity().resourceId();
        // No kekVaultResourceID: the service does not check it, so a mutated one could make a valid body.
        String enableTemplate = "{\"kekUrl\":\"" + referenceVault.keyUrl()
                + "\",\"identityProperties\":{\"type\":\"UserAssigned\",\"userAssigned\":" + "{\"resourceId\":\""
                + identity + "\"}}}";
        String changeKeyTemplate = "{\"kekUrl\":\"" + referenceVault.keyUrl() + "\"}";
        String changeIdentityTemplate =
                "{\"identityProperties\":{\"type\":\"UserAssigned\",\"userAssigned\":{\"resourceId\":\"" + identity
                        + "\"}}}";
        String identityTemplate = "{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + identity + "\":{}}}";
        String createTemplate =
                "{\"location\":\"westus\",\"keyEncryptionKey\":{\"kekType\":\"CustomerManaged\",\"kekUrl\":\""
                        + referenceVault.keyUrl() + "\",\"identityProperties\":{\"type\":\"SystemAssigned\"}}}";
        String stageTemplate = "{\"stage\":\"DevicePrepared\"}";
        String[] encryptionRoutes = {"enable", "change-key", "change-identity", "validate", "use-microsoft-key"};
        String[] templates = {enableTemplate, changeKeyTemplate, changeIdentityTemplate, enableTemplate, "{}"};
        Arbitrary<String> refusedUrls = HostileInputs.refusedKeyUrls(baitHostPort);
        // Mutations may still be valid URLs, so they name the reference vault, never the bait.
        Arbitrary<String> mutatedUrls = HostileInputs.mutatedKeyUrls(referenceVault.keyUrl());

        Instant start = Instant.now();
        // Generators outside a jqwik property need a session of their own (jqwik 1.8+).
        JqwikSession.start();
        try {
            fuzz(
                    random,
                    baitHostPort,
                    enableTemplate,
                    changeKeyTemplate,
                    createTemplate,
                    identityTemplate,
                    stageTemplate,
                    encryptionRoutes,
                    templates,
                    refusedUrls,
                    mutatedUrls);
        } finally {
            JqwikSession.finish();
        }
        Duration took = Duration.between(start, Instant.now());
        System.out.printf(
                "ApiFuzzTest: %d requests (seed %d) in %d ms, %d creates answered 201, %d refused by the"
                        + " HTTP codec for their size, %d resent after a stale connection%n",
                sent, SEED, took.toMillis(), created, codecRefusals.size(), staleConnections);
        codecRefusals.stream().limit(3).forEach(note -> System.out.println("ApiFuzzTest: codec refusal: " + note));

        reference.assertUnchangedSince(before);
        assertThat(countOrders())
                .as("orders: only the creates that answered 201 were added")
                .isEqualTo(ordersBefore + created);
        assertThat(EmulatorTestSupport.admin().requests(bait.name()).total())
                .as("calls to the vault hostile URLs named")
                .isEqualTo(baitCallsBefore);
        assertThat(failures).as("seed " + SEED + ": properties broken").isEmpty();
    }

    private void fuzz(
            Random random,
            String baitHostPort,
            String enableTemplate,
            String changeKeyTemplate,
            String createTemplate,
            String identityTemplate,
            String stageTemplate,
            String[] encryptionRoutes,
            String[] templates,
            Arbitrary<String> refusedUrls,
            Arbitrary<String> mutatedUrls)
            throws Exception {
        while (sent < TRIES) {
            int kind = random.nextInt(12);
            String ref = reference.name();
            switch (kind) {
                case 0 -> { // create with a hostile name and a random body
                    String name = draw(HostileInputs.pathSegments(), random);
                    HttpResponse<String> r =
                            send("PUT", "/api/orders/" + name, draw(HostileInputs.randomBodies(), random), null, false);
                    if (r != null && r.statusCode() == 201) {
                        created++;
                    }
                }
                case 1 -> { // create with a valid name and a mutated body (possibly a customer key)
                    byte[] body = draw(
                            HostileInputs.mutated(random.nextBoolean() ? createTemplate : "{\"location\":\"westus\"}"),
                            random);
                    HttpResponse<String> r = send("PUT", "/api/orders/" + CmkOrder.newName(), body, null, false);
                    if (r != null && r.statusCode() == 201) {
                        created++;
                    }
                }
                case 2 ->
                    send(
                            "PUT",
                            "/api/orders/" + ref,
                            draw(HostileInputs.randomBodies(), random),
                            random.nextBoolean() ? draw(HostileInputs.ifMatchValues(), random) : null,
                            true);
                case 3 -> send("GET", "/api/orders/" + draw(HostileInputs.pathSegments(), random), null, null, false);
                case 4 ->
                    send(
                            "GET",
                            "/api/orders?top=" + HostileInputs.encodeSegment(draw(HostileInputs.topValues(), random))
                                    + "&$skipToken="
                                    + HostileInputs.encodeSegment(draw(HostileInputs.skipTokens(), random)),
                            null,
                            null,
                            false);
                case 5 ->
                    send(
                            "PATCH",
                            "/api/orders/" + ref + "/identity",
                            draw(
                                    Arbitraries.oneOf(
                                            HostileInputs.mutated(identityTemplate), HostileInputs.randomBodies()),
                                    random),
                            random.nextInt(3) == 0 ? draw(HostileInputs.ifMatchValues(), random) : null,
                            true);
                case 6 ->
                    send(
                            "POST",
                            "/api/orders/" + ref + "/stage",
                            draw(
                                    Arbitraries.oneOf(
                                            HostileInputs.mutated(stageTemplate), HostileInputs.randomBodies()),
                                    random),
                            random.nextInt(3) == 0 ? draw(HostileInputs.ifMatchValues(), random) : null,
                            true);
                case 7 -> { // an encryption route of the reference order with a mutated or random body
                    int route = random.nextInt(encryptionRoutes.length);
                    byte[] body = route == 4 || random.nextInt(3) == 0
                            ? draw(HostileInputs.randomBodies(), random)
                            : draw(HostileInputs.mutated(templates[route]), random);
                    // use-microsoft-key takes no body: a stale If-Match is what refuses it here.
                    String ifMatch =
                            route == 4 || random.nextInt(3) == 0 ? draw(HostileInputs.ifMatchValues(), random) : null;
                    if (route == 3 && isEmptyProposal(body)) {
                        break; // validate without a proposal records key health: a state change by design
                    }
                    send("POST", "/api/orders/" + ref + "/encryption/" + encryptionRoutes[route], body, ifMatch, true);
                }
                case 8, 9 -> { // a key URL that must be refused before any connection
                    String url = draw(refusedUrls, random);
                    int route = random.nextInt(3);
                    String body = route == 1 ? changeKeyTemplate : enableTemplate;
                    body = body.replace(referenceVault.keyUrl(), jsonUnquoted(url));
                    String path = "/api/orders/" + ref + "/encryption/"
                            + new String[] {"enable", "change-key", "validate"}[route];
                    long callsBefore =
                            EmulatorTestSupport.admin().requests(bait.name()).total();
                    HttpResponse<String> r = send("POST", path, HostileInputs.utf8(body), null, true);
                    if (r != null) {
                        String code = codeOf(r);
                        if (route == 2 && r.statusCode() == 200) {
                            JsonNode report = JSON.readTree(r.body());
                            code = report.path("checks")
                                    .path(0)
                                    .path("errorCode")
                                    .asText(null);
                            check(!report.path("valid").asBoolean(true), "validate passed a hostile URL " + url, r);
                        }
                        check(
                                URL_REFUSALS.contains(code),
                                "the key URL " + abbreviate(url) + " was not refused as a URL but " + code,
                                r);
                        long callsAfter = EmulatorTestSupport.admin()
                                .requests(bait.name())
                                .total();
                        check(
                                callsAfter == callsBefore,
                                "the refused URL " + abbreviate(url) + " reached the vault ("
                                        + (callsAfter - callsBefore) + " calls)",
                                r);
                    }
                }
                case 10 -> { // character-level mutations of the reference key's URL: validate a proposal
                    String url = draw(mutatedUrls, random);
                    long callsBefore = EmulatorTestSupport.admin()
                            .requests(referenceVault.name())
                            .total();
                    HttpResponse<String> r = send(
                            "POST",
                            "/api/orders/" + ref + "/encryption/validate",
                            HostileInputs.utf8(enableTemplate.replace(referenceVault.keyUrl(), jsonUnquoted(url))),
                            null,
                            false);
                    if (r != null && r.statusCode() == 200) {
                        JsonNode first = JSON.readTree(r.body()).path("checks").path(0);
                        if ("Failed".equals(first.path("status").asText())) {
                            long callsAfter = EmulatorTestSupport.admin()
                                    .requests(referenceVault.name())
                                    .total();
                            check(
                                    callsAfter == callsBefore,
                                    "the URL " + abbreviate(url)
                                            + " refused by the keyUrl check still reached the vault",
                                    r);
                        }
                    }
                }
                default -> { // listCredentials and GET of hostile names; methods a route does not take
                    String name = draw(HostileInputs.pathSegments(), random);
                    String[][] calls = {
                        {"POST", "/api/orders/" + name + "/listCredentials"},
                        {"POST", "/api/orders/" + name + "/encryption/" + draw(HostileInputs.pathSegments(), random)},
                        {"DELETE", "/api/orders/" + ref},
                        {"GET", "/api/orders/" + ref + "/encryption/enable"},
                        {"POST", "/api/audits/" + name},
                        {"GET", "/api/audits/" + name}
                    };
                    String[] call = calls[random.nextInt(calls.length)];
                    send(
                            call[0],
                            call[1],
                            random.nextBoolean() ? draw(HostileInputs.randomBodies(), random) : null,
                            null,
                            call[1].startsWith("/api/orders/" + ref));
                }
            }
            if (failures.size() >= MAX_REPORTED) {
                break;
            }
        }
    }

    private static boolean isEmptyProposal(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).trim();
        return text.isEmpty() || "null".equals(text);
    }

    /** The URL as it must stand inside a JSON string. */
    private static String jsonUnquoted(String url) {
        String quoted = HostileInputs.jsonString(url);
        return quoted.substring(1, quoted.length() - 1);
    }

    /**
     * Sends one request; records a failure for a 5xx, a 4xx without the error shape, and (when
     * {@code mustBeRefused}) any 2xx. Answers null when the request could not even be built.
     */
    private HttpResponse<String> send(
            String method, String pathAndQuery, byte[] body, String ifMatch, boolean mustBeRefused)
            throws IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(base.toString().replaceAll("/$", "") + pathAndQuery);
        } catch (IllegalArgumentException notAUri) {
            return null; // the client cannot send it either
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            try {
                request.header("If-Match", ifMatch);
            } catch (IllegalArgumentException notAHeaderValue) {
                request.header("If-Match", HostileInputs.encodeSegment(ifMatch));
            }
        }
        sent++;
        Supplier<String> what = () ->
                method + " " + abbreviate(pathAndQuery) + (ifMatch == null ? "" : " If-Match " + abbreviate(ifMatch))
                        + (body == null
                                ? ""
                                : " body " + abbreviate(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
        // The app answers request lines over 4096 bytes and headers over 8 KiB with 414/431 in the error
        // shape (EdgeFilter); only past the HTTP codec's backstops, 16 KiB and 32 KiB, does the codec
        // refuse them itself (without a body, or by closing the connection): noted, not the app's to shape.
        // A body announced over EdgeFilter.MAX_DRAINED_BYTES is answered 413 and its connection closed at once,
        // unread: a client still sending it may see the reset before the answer (seed 20261128's body of 273 KB
        // did, once in a CI run of 2026-12-06).
        boolean overCodecLimits = uri.toString().length() > 16000
                || (ifMatch != null && ifMatch.length() + token.length() + 512 > 32 * 1024)
                || (body != null && body.length > EdgeFilter.MAX_DRAINED_BYTES);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException noAnswer) {
            if (overCodecLimits) {
                codecRefusals.add("no answer (" + noAnswer.getMessage() + ") for " + what.get());
                return null;
            }
            // A kept-alive connection the server had closed just before (seen once in 20 000 requests,
            // after a connection the codec refused): the client does not resend a POST by itself.
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                staleConnections++;
            } catch (IOException stillNoAnswer) {
                failures.add("no answer, twice (" + stillNoAnswer.getMessage() + ") for " + what.get());
                return null;
            }
        }
        int status = response.statusCode();
        if (overCodecLimits && (status == 414 || status == 431 || status == 400) && codeOf(response) == null) {
            codecRefusals.add(status + " without the error shape for " + what.get());
            return null;
        }
        if (status >= 500 && !(status == 503 && "KeyVaultUnavailable".equals(codeOf(response)))) {
            failures.add(status + " for " + what.get() + " -> " + abbreviate(response.body()));
        } else if (status >= 400) {
            String shape = errorShapeProblem(response);
            if (shape != null) {
                failures.add(shape + " for " + what.get() + " -> " + status + " " + abbreviate(response.body()));
            }
        } else if (mustBeRefused && status / 100 == 2 && !pathAndQuery.endsWith("/validate")) {
            failures.add("accepted hostile input: " + what.get() + " -> " + status);
        }
        return response;
    }

    private void check(boolean holds, String message, HttpResponse<String> response) {
        if (!holds) {
            failures.add(message + " -> " + response.statusCode() + " " + abbreviate(response.body()));
        }
    }

    private static String errorShapeProblem(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            return "content type '" + type + "'";
        }
        try {
            JsonNode error = JSON.readTree(response.body()).path("error");
            if (!error.path("code").isTextual() || error.path("code").asText().isBlank()) {
                return "no error.code";
            }
            if (!error.path("message").isTextual()
                    || error.path("message").asText().isBlank()) {
                return "no error.message";
            }
            if (response.body().contains("\tat ") || response.body().contains("Exception")) {
                return "a stack trace or exception name in the body";
            }
            return null;
        } catch (IOException notJson) {
            return "a body that is not JSON";
        }
    }

    private static String codeOf(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).path("error").path("code").asText(null);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("[\\p{Cntrl}]", "?");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…(" + oneLine.length() + " chars)";
    }

    private static long countOrders() {
        TableClient table = new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("orders")
                .buildClient();
        return table
                .listEntities(
                        new ListEntitiesOptions()
                                .setFilter("RowKey gt 'order~' and RowKey lt 'order~~'")
                                .setSelect(List.of("PartitionKey")),
                        null,
                        null)
                .stream()
                .count();
    }
}
