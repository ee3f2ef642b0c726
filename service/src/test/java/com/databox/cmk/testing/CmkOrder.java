package com.databox.cmk.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.identity.IdentityInfo;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An order made through the HTTP API for one test, with the device password read right after
 * creation, and the calls of the encryption routes. {@link #snapshot()} and
 * {@link #assertUnchangedSince(Snapshot)} show that a refused change left the order exactly as it was.
 */
public final class CmkOrder {

    private final String name;
    private final String password;

    private CmkOrder(String name, String password) {
        this.name = name;
        this.password = password;
    }

    public static String newName() {
        return "o-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** Creates an order with the Microsoft-managed key and remembers its device password. */
    public static CmkOrder create() {
        String name = newName();
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(201);
        return new CmkOrder(name, listCredentials(name));
    }

    /** Creates an order directly with a customer-managed key; answers the creation response. */
    public static Response createWithCustomerKey(String name, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).put("/api/orders/{name}", name);
    }

    /** An order created elsewhere (e.g. directly with a customer-managed key); reads its password now. */
    public static CmkOrder existing(String name) {
        return new CmkOrder(name, listCredentials(name));
    }

    public String name() {
        return name;
    }

    /** The device password as {@code listCredentials} answered right after creation. */
    public String password() {
        return password;
    }

    public static String listCredentials(String name) {
        String password = given().post("/api/orders/{name}/listCredentials", name)
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .extract()
                .path("devicePassword");
        assertThat(password).as("device password of " + name).isNotBlank();
        SeenSecrets.record(password);
        return password;
    }

    /** {@code listCredentials} still answers the password generated at creation. */
    public void assertPasswordKept() {
        assertThat(listCredentials(name)).as("device password of " + name).isEqualTo(password);
    }

    // ---- identities -------------------------------------------------------------------------

    public Response patchIdentity(String body) {
        return given().contentType(ContentType.JSON).body(body).patch("/api/orders/{name}/identity", name);
    }

    /** Attaches user-assigned identities (type {@code UserAssigned}). */
    public CmkOrder attach(IdentityInfo... identities) {
        patchIdentity(identityBody("UserAssigned", identities)).then().statusCode(200);
        return this;
    }

    /** Gives the order a system-assigned identity; answers its principal id. */
    public String attachSystemAssigned() {
        String principal = patchIdentity("{\"type\":\"SystemAssigned\"}")
                .then()
                .statusCode(200)
                .extract()
                .path("identity.principalId");
        assertThat(principal).isNotBlank();
        return principal;
    }

    /** Gives the order a system-assigned identity and the user-assigned ones; answers the system principal id. */
    public String attachSystemAndUserAssigned(IdentityInfo... identities) {
        String principal = patchIdentity(identityBody("SystemAssigned,UserAssigned", identities))
                .then()
                .statusCode(200)
                .extract()
                .path("identity.principalId");
        assertThat(principal).isNotBlank();
        return principal;
    }

    private static String identityBody(String type, IdentityInfo... identities) {
        StringBuilder map = new StringBuilder();
        for (IdentityInfo identity : identities) {
            map.append(map.isEmpty() ? "" : ",")
                    .append('"')
                    .append(identity.resourceId())
                    .append("\":{}");
        }
        return "{\"type\":\"" + type + "\",\"userAssignedIdentities\":{" + map + "}}";
    }

    // ---- request bodies ---------------------------------------------------------------------

    public static Map<String, Object> userAssigned(String resourceId) {
        return Map.of("type", "UserAssigned", "userAssigned", Map.of("resourceId", resourceId));
    }

    /** A user-assigned identity reached in the key vault's tenant through a federated multi-tenant application. */
    public static Map<String, Object> userAssigned(String resourceId, String federatedIdentityClientId) {
        return Map.of(
                "type",
                "UserAssigned",
                "userAssigned",
                Map.of("resourceId", resourceId),
                "federatedIdentityClientId",
                federatedIdentityClientId);
    }

    public static Map<String, Object> systemAssigned() {
        return Map.of("type", "SystemAssigned");
    }

    /** A body as for enable (and a proposal to validate); a null vault resource id is left out. */
    public static Map<String, Object> enableBody(
            String kekUrl, String vaultResourceId, Map<String, Object> identityProperties) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kekUrl", kekUrl);
        if (vaultResourceId != null) {
            body.put("kekVaultResourceID", vaultResourceId);
        }
        body.put("identityProperties", identityProperties);
        return body;
    }

    /** The enable body for {@code vault}'s key without a version, so that the order follows its new versions. */
    public static Map<String, Object> enableBodyFollowingVersions(CustomerKeyVault vault) {
        return enableBody(
                vault.versionlessKeyUrl(),
                vault.resourceId(),
                userAssigned(vault.identity().resourceId()));
    }

    public static Map<String, Object> changeKeyBody(String kekUrl, String vaultResourceId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kekUrl", kekUrl);
        if (vaultResourceId != null) {
            body.put("kekVaultResourceID", vaultResourceId);
        }
        return body;
    }

    // ---- encryption routes ------------------------------------------------------------------

    public Response enable(Map<String, Object> body) {
        return post("enable", body, null);
    }

    public Response enable(Map<String, Object> body, String ifMatch) {
        return post("enable", body, ifMatch);
    }

    /** Enables {@code vault}'s key with its user-assigned identity, which must already be attached. */
    public Response enable(CustomerKeyVault vault) {
        return enable(enableBody(
                vault.keyUrl(),
                vault.resourceId(),
                userAssigned(vault.identity().resourceId())));
    }

    /** Attaches {@code vault}'s identity and enables its key; asserts success. */
    public CmkOrder enableUserAssigned(CustomerKeyVault vault) {
        attach(vault.identity());
        enable(vault).then().statusCode(200);
        return this;
    }

    /** Attaches the vault's identity and enables its versionless key: the order follows new versions. */
    public CmkOrder enableFollowingVersions(CustomerKeyVault vault) {
        attach(vault.identity());
        enable(enableBodyFollowingVersions(vault))
                .then()
                .statusCode(200)
                .body("keyEncryptionKey.autoRotation", org.hamcrest.Matchers.equalTo(true));
        return this;
    }

    /** The change-key body of an order's answered {@code keyEncryptionKey}: its URL, vault ID and autoRotation. */
    public static Map<String, Object> changeKeyBodyAsAnswered(Map<String, Object> keyEncryptionKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kekUrl", keyEncryptionKey.get("kekUrl"));
        body.put("kekVaultResourceID", keyEncryptionKey.get("kekVaultResourceID"));
        body.put("autoRotation", keyEncryptionKey.get("autoRotation"));
        return body;
    }

    public Response changeKey(String kekUrl, String vaultResourceId) {
        return post("change-key", changeKeyBody(kekUrl, vaultResourceId), null);
    }

    public Response changeKey(String kekUrl, String vaultResourceId, String ifMatch) {
        return post("change-key", changeKeyBody(kekUrl, vaultResourceId), ifMatch);
    }

    public Response changeIdentity(Map<String, Object> identityProperties) {
        return post("change-identity", Map.of("identityProperties", identityProperties), null);
    }

    public Response useMicrosoftKey() {
        return post("use-microsoft-key", null, null);
    }

    /** Validates the current configuration. */
    public Response validate() {
        return post("validate", null, null);
    }

    /** Validates a proposed configuration. */
    public Response validate(Map<String, Object> proposal) {
        return post("validate", proposal, null);
    }

    public Response moveTo(String stage) {
        return given().contentType(ContentType.JSON)
                .body("{\"stage\":\"" + stage + "\"}")
                .post("/api/orders/{name}/stage", name);
    }

    /** {@code POST …/mitigate} with this resolution code (Resume). */
    public Response mitigate(String customerResolutionCode) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("customerResolutionCode", customerResolutionCode))
                .post("/api/orders/{name}/mitigate", name);
    }

    /** The name of the first failed check of a validation report, or null when all passed. */
    public static String firstFailedCheck(Response report) {
        java.util.List<Map<String, Object>> checks = report.path("checks");
        return checks.stream()
                .filter(c -> "Failed".equals(c.get("status")))
                .map(c -> (String) c.get("name"))
                .findFirst()
                .orElse(null);
    }

    /** The error code of the first failed check of a validation report, or null when all passed. */
    public static String firstFailedCode(Response report) {
        java.util.List<Map<String, Object>> checks = report.path("checks");
        return checks.stream()
                .filter(c -> "Failed".equals(c.get("status")))
                .map(c -> (String) c.get("errorCode"))
                .findFirst()
                .orElse(null);
    }

    public Response get() {
        return given().get("/api/orders/{name}", name);
    }

    private Response post(String operation, Object body, String ifMatch) {
        return encryptionRequest(name, operation, body, ifMatch);
    }

    public static Response encryptionRequest(String orderName, String operation, Object body, String ifMatch) {
        RequestSpecification request = given();
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.post("/api/orders/{name}/encryption/{operation}", orderName, operation);
    }

    // ---- what "unchanged" means -------------------------------------------------------------

    /** What a refused change must leave as it was: the ETag, the visible order and the stored wrapped key. */
    public record Snapshot(
            String etag,
            Map<String, Object> keyEncryptionKey,
            Map<String, Object> identity,
            String stage,
            Map<String, Object> keyHealth,
            String wrappedKeyId,
            String wrappedKey) {}

    public Snapshot snapshot() {
        Response order = get();
        order.then().statusCode(200);
        TableEntity entity = rawEntity(name);
        return new Snapshot(
                order.path("etag"),
                order.path("keyEncryptionKey"),
                order.path("identity"),
                order.path("stage"),
                order.path("keyHealth"),
                (String) entity.getProperty("WrappedKeyId"),
                (String) entity.getProperty("WrappedKey"));
    }

    /** The order is exactly as in {@code before}, and {@code listCredentials} answers the creation password. */
    public void assertUnchangedSince(Snapshot before) {
        Snapshot now = snapshot();
        assertThat(now.etag()).as("ETag of " + name).isEqualTo(before.etag());
        assertThat(now.keyEncryptionKey()).as("keyEncryptionKey of " + name).isEqualTo(before.keyEncryptionKey());
        assertThat(now.identity()).as("identity of " + name).isEqualTo(before.identity());
        assertThat(now.stage()).as("stage of " + name).isEqualTo(before.stage());
        assertThat(now.keyHealth()).as("keyHealth of " + name).isEqualTo(before.keyHealth());
        assertThat(now.wrappedKeyId()).as("stored wrapped key id of " + name).isEqualTo(before.wrappedKeyId());
        assertThat(now.wrappedKey()).as("stored wrapped key of " + name).isEqualTo(before.wrappedKey());
        assertPasswordKept();
    }

    /** The stored row of the order in Azurite (the wrapped unlock key is only there). */
    public static TableEntity rawEntity(String name) {
        TableClient table = new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("orders")
                .buildClient();
        return table.getEntity(LocalStack.tenant().value(), "order~" + name);
    }

    /** The key version that wraps the stored unlock key now. */
    public String storedWrappedKeyId() {
        return (String) rawEntity(name).getProperty("WrappedKeyId");
    }

    // ---- errors -----------------------------------------------------------------------------

    /**
     * The response is the contract's error: {@code status}, {@code code}, a non-blank message that
     * contains each of {@code named} (case-insensitive), and a non-blank resolution.
     */
    public static void assertError(Response response, int status, String code, String... named) {
        String body = response.asString();
        assertThat(response.statusCode()).as("status of " + body).isEqualTo(status);
        assertThat(response.contentType()).as("content type of " + body).startsWith("application/json");
        assertThat(response.<String>path("error.code")).as("code of " + body).isEqualTo(code);
        String message = response.path("error.message");
        assertThat(message).as("message of " + body).isNotBlank();
        for (String cause : named) {
            assertThat(message).as("message of " + body).containsIgnoringCase(cause);
        }
        assertThat(response.<String>path("error.resolution"))
                .as("resolution of " + body)
                .isNotBlank();
        assertThat(body).as("no stack trace").doesNotContain("\tat ");
    }

    /** Clears every pending fault of the emulator (the admin API's {@code DELETE /admin/faults}). */
    public static void clearFaults() {
        String adminUrl = EmulatorTestSupport.shared().adminUrl().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + "/admin/faults"))
                .DELETE()
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("DELETE /admin/faults: " + response.body())
                    .isBetween(200, 299);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return Objects.toString(name);
    }
}
