package com.databox.cmk.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bug bash rt1 (round-trip fidelity): a client reads an order and sends back what the service answered (curl, a
 * Logic Apps flow that maps one action's output into the next action's input). What the service answers must be
 * taken back wherever a request carries that object, and a body that asks for what the order has changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class OrderRoundTripTest {

    /**
     * F1: {@code identity} as answered carries {@code principalId} and {@code tenantId} (read-only, as in ARM's
     * ManagedServiceIdentity), which a replace and {@code PATCH …/identity} refuse, {@code 400 InvalidRequest}
     * "'identity.principalId' is not known here", though the same answer's {@code principalId}/{@code clientId} of
     * a user-assigned identity are taken. ARM ignores read-only members sent back.
     */
    @Test
    void theIdentityAsAnsweredIsTakenBackByAReplaceAndByPatch() {
        String name = CmkOrder.newName();
        Response created = given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\",\"identity\":{\"type\":\"SystemAssigned\"}}")
                .put("/api/orders/{name}", name);
        created.then().statusCode(201);
        Map<String, Object> identity = created.path("identity");
        assertThat(identity).containsKeys("principalId", "tenantId");
        String etag = created.header("ETag");

        Map<String, Object> replace = new LinkedHashMap<>();
        replace.put("location", "westus");
        replace.put("identity", identity);
        Response replaced = given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(replace)
                .put("/api/orders/{name}", name);
        assertThat(replaced.statusCode()).as(replaced.asString()).isEqualTo(200);
        assertThat(replaced.header("ETag")).as("nothing asked to change").isEqualTo(etag);

        Response patched = given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(identity)
                .patch("/api/orders/{name}/identity", name);
        assertThat(patched.statusCode()).as(patched.asString()).isEqualTo(200);
        assertThat(patched.header("ETag")).as("nothing asked to change").isEqualTo(etag);
        assertThat(patched.<String>path("identity.principalId")).isEqualTo(identity.get("principalId"));
    }

    /**
     * F3: an order that follows new versions of its key answers its current version in {@code kekUrl} and
     * {@code autoRotation: true}; {@code change-key} and {@code enable} with what the answer shows, the pair
     * included, ask for what the order has: nothing written, the same ETag, still following. A URL with a version
     * and no {@code autoRotation} names that version and follows none, as since the first contract (API.md).
     */
    @Test
    void changeKeyAndEnableWithTheAnsweredKeyOfAnOrderFollowingVersionsChangeNothing() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableFollowingVersions(vault);
        Response read = order.get();
        Map<String, Object> kek = read.path("keyEncryptionKey");
        assertThat(kek).containsEntry("autoRotation", true);
        String etag = read.header("ETag");

        Map<String, Object> changeKey = CmkOrder.changeKeyBodyAsAnswered(kek);
        Response changed = CmkOrder.encryptionRequest(order.name(), "change-key", changeKey, etag);
        assertThat(changed.statusCode()).as(changed.asString()).isEqualTo(200);
        assertThat(changed.<Boolean>path("keyEncryptionKey.autoRotation"))
                .as("still follows new versions")
                .isTrue();
        assertThat(changed.header("ETag")).as("nothing asked to change").isEqualTo(etag);

        Response enabled = order.enable(kek, etag);
        assertThat(enabled.statusCode()).as(enabled.asString()).isEqualTo(200);
        assertThat(enabled.header("ETag"))
                .as("the key as answered, enabled again")
                .isEqualTo(etag);

        Response pinned = order.changeKey((String) kek.get("kekUrl"), (String) kek.get("kekVaultResourceID"), etag);
        pinned.then().statusCode(200).body("keyEncryptionKey.autoRotation", org.hamcrest.Matchers.equalTo(false));

        Map<String, Object> contradiction = new LinkedHashMap<>(changeKey);
        contradiction.put("kekUrl", vault.versionlessKeyUrl());
        contradiction.put("autoRotation", false);
        CmkOrder.assertError(
                CmkOrder.encryptionRequest(order.name(), "change-key", contradiction, null),
                400,
                "InvalidRequest",
                "autoRotation");
    }

    /**
     * Review rv11 L3: {@code autoRotation} alone proposes something ({@code kekUrl} is then missing), and with a
     * URL that is no key URL it leaves the URL to the report's own check, as validate reports one.
     */
    @Test
    void validateReadsTheAnswersAutoRotationAsPartOfAProposal() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);

        CmkOrder.assertError(order.validate(Map.of("autoRotation", true)), 400, "InvalidRequest", "kekUrl");

        Response malformed = order.validate(Map.of(
                "kekUrl",
                "https://not a key url",
                "identityProperties",
                CmkOrder.userAssigned(vault.identity().resourceId()),
                "autoRotation",
                false));
        assertThat(malformed.statusCode()).as(malformed.asString()).isEqualTo(200);
        assertThat(CmkOrder.firstFailedCheck(malformed)).isEqualTo("keyUrl");
    }

    /**
     * F4: the answer's {@code keyEncryptionKey} mapped into {@code validate} (a proposal) or {@code enable}, as a
     * Logic Apps flow maps GetOrder's output into ValidateEncryption's body, is refused for its {@code kekType}
     * (and {@code autoRotation}): "The field 'kekType' is not known here."
     */
    @Test
    void theAnsweredKeyEncryptionKeyIsAProposalToValidate() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        Map<String, Object> kek = order.get().path("keyEncryptionKey");
        assertThat(kek).containsKeys("kekType", "autoRotation");

        Response validated = order.validate(kek);
        assertThat(validated.statusCode()).as(validated.asString()).isEqualTo(200);
        assertThat(validated.<Boolean>path("valid")).isTrue();
    }
}
