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
import java.util.List;
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

    /**
     * A read, modified and written back: the whole answer of an order on a customer-managed key, its
     * {@code keyEncryptionKey} unchanged, replaces what the rest of the body asks (since 2026-12-07, later: refused
     * for the key, 400 InvalidRequest). Sent back as read, it writes nothing.
     */
    @Test
    void aReplacementTakesBackTheOrdersOwnKeyReachedThroughAUserAssignedIdentity() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        Response read = order.get();

        assertTheAnswerSentBackWritesNothing(order, read);

        Map<String, Object> body = wholeBody(read);
        Map<String, Object> identity = new LinkedHashMap<>(read.path("identity"));
        identity.put("type", "SystemAssigned,UserAssigned");
        body.put("identity", identity);
        Response replaced = replace(order, body, read.header("ETag"));
        assertThat(replaced.statusCode()).as(replaced.asString()).isEqualTo(200);
        assertThat(replaced.header("ETag")).isNotEqualTo(read.header("ETag"));
        assertThat(replaced.<String>path("identity.type")).isEqualTo("SystemAssigned,UserAssigned");
        assertThat(replaced.<String>path("identity.principalId")).isNotBlank();
        assertThat(replaced.<Map<String, Object>>path("keyEncryptionKey"))
                .isEqualTo(read.<Map<String, Object>>path("keyEncryptionKey"));
        assertThat(replaced.<String>path("keyHealth.status")).isEqualTo("Healthy");
    }

    /**
     * The key's identity dropped by a replacement is refused as without the key in the body: the key sent back
     * unchanged changes no rule of the replace (API.md, "Replacing an order").
     */
    @Test
    void aReplacementThatDropsTheKeysUserAssignedIdentityIsRefusedAsWithoutTheKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        Response read = order.get();
        CmkOrder.Snapshot before = order.snapshot();

        Map<String, Object> body = wholeBody(read);
        body.put("identity", Map.of("type", "None"));
        CmkOrder.assertError(replace(order, body, read.header("ETag")), 400, "SsemUserErrorUserAssignedIdentityAbsent");
        order.assertUnchangedSince(before);
    }

    @Test
    void aReplacementTakesBackTheOrdersOwnKeyReachedThroughTheSystemAssignedIdentity() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create();
        vault.grant(order.attachSystemAssigned(), CustomerKeyVault.ALL_KEY_PERMISSIONS);
        order.enable(CmkOrder.enableBody(vault.keyUrl(), vault.resourceId(), CmkOrder.systemAssigned()))
                .then()
                .statusCode(200);
        Response read = order.get();

        assertTheAnswerSentBackWritesNothing(order, read);

        Map<String, Object> moved = wholeBody(read);
        moved.put("location", "eastus");
        Response replaced = replace(order, moved, read.header("ETag"));
        assertThat(replaced.statusCode()).as(replaced.asString()).isEqualTo(200);
        assertThat(replaced.<String>path("location")).isEqualTo("eastus");
        assertThat(replaced.<String>path("identity.principalId")).isEqualTo(read.path("identity.principalId"));
        assertThat(replaced.<Map<String, Object>>path("keyEncryptionKey"))
                .isEqualTo(read.<Map<String, Object>>path("keyEncryptionKey"));

        // Dropping the identity that reaches the key loses access to it, as without the key in the body.
        Map<String, Object> dropped = wholeBody(replaced);
        dropped.put("identity", Map.of("type", "None"));
        Response lost = replace(order, dropped, replaced.header("ETag"));
        assertThat(lost.statusCode()).as(lost.asString()).isEqualTo(200);
        assertThat(lost.<String>path("keyHealth.status")).isEqualTo("AccessLost");
        assertThat(lost.<String>path("keyEncryptionKey.kekType")).isEqualTo("CustomerManaged");
    }

    @Test
    void aReplacementTakesBackTheKeyOfAnOrderFollowingNewVersions() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableFollowingVersions(vault);
        Response read = order.get();
        assertThat(read.<Boolean>path("keyEncryptionKey.autoRotation")).isTrue();

        assertTheAnswerSentBackWritesNothing(order, read);

        Map<String, Object> body = wholeBody(read);
        Map<String, Object> identity = new LinkedHashMap<>(read.path("identity"));
        identity.put("type", "SystemAssigned,UserAssigned");
        body.put("identity", identity);
        Response replaced = replace(order, body, read.header("ETag"));
        assertThat(replaced.statusCode()).as(replaced.asString()).isEqualTo(200);
        assertThat(replaced.<Boolean>path("keyEncryptionKey.autoRotation"))
                .as("still follows new versions")
                .isTrue();
        assertThat(replaced.<String>path("keyEncryptionKey.kekUrl")).isEqualTo(read.path("keyEncryptionKey.kekUrl"));
    }

    /**
     * A key other than the order's in anything (key, version, identity, vault, autoRotation) is refused as before,
     * target keyEncryptionKey, and the answer says to send it unchanged or change it through the encryption routes.
     */
    @Test
    void aReplacementNamingAnotherKeyThanTheOrdersIsRefused() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        Response read = order.get();
        Map<String, Object> kek = read.path("keyEncryptionKey");
        CustomerKeyVault other = CustomerKeyVault.create();
        CmkOrder.Snapshot before = order.snapshot();

        List<Map<String, Object>> others = List.of(
                withKeyMember(kek, "kekUrl", vault.newVersion()),
                withKeyMember(kek, "kekUrl", vault.versionlessKeyUrl()),
                withKeyMember(kek, "kekUrl", other.keyUrl()),
                withKeyMember(kek, "autoRotation", true),
                withKeyMember(kek, "identityProperties", CmkOrder.systemAssigned()),
                withKeyMember(
                        kek,
                        "identityProperties",
                        CmkOrder.userAssigned(other.identity().resourceId())),
                withKeyMember(kek, "kekVaultResourceID", other.resourceId()),
                withKeyMember(kek, "identityProperties", null));
        for (Map<String, Object> key : others) {
            Map<String, Object> body = wholeBody(read);
            body.put("keyEncryptionKey", key);
            Response refused = replace(order, body, read.header("ETag"));
            CmkOrder.assertError(refused, 400, "InvalidRequest", "keyEncryptionKey");
            assertThat(refused.<String>path("error.target")).as(key.toString()).isEqualTo("keyEncryptionKey");
            assertThat(refused.<String>path("error.message"))
                    .contains("send it unchanged or leave it out")
                    .contains("change-key", "change-identity", "use-microsoft-key");
        }
        order.assertUnchangedSince(before);

        // The key changed since the read: the read is old (412), not the body wrong.
        order.changeKey(vault.newVersion(), vault.resourceId()).then().statusCode(200);
        CmkOrder.assertError(replace(order, wholeBody(read), read.header("ETag")), 412, "PreconditionFailed");
    }

    /** The answered key of a customer-managed order is no key a Microsoft-managed order has. */
    @Test
    void aReplacementOfAMicrosoftManagedOrderNamingACustomerManagedKeyIsRefused() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        Map<String, Object> kek =
                CmkOrder.create().enableUserAssigned(vault).get().path("keyEncryptionKey");
        CmkOrder order = CmkOrder.create();
        order.attach(vault.identity());
        Response read = order.get();
        CmkOrder.Snapshot before = order.snapshot();

        Map<String, Object> body = wholeBody(read);
        body.put("keyEncryptionKey", kek);
        CmkOrder.assertError(replace(order, body, read.header("ETag")), 400, "InvalidRequest", "keyEncryptionKey");
        order.assertUnchangedSince(before);
    }

    /**
     * The Microsoft-managed key named in a replacement of an order on a customer-managed key is a revert, which only
     * use-microsoft-key makes: refused, not ignored, so no caller takes it for done and deletes the key (API.md,
     * "Replacing an order"). On a Microsoft-managed order it is the order's own key, taken back.
     */
    @Test
    void aReplacementNamingTheMicrosoftManagedKeyOfAnOrderOnACustomersKeyIsRefused() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        Response read = order.get();
        CmkOrder.Snapshot before = order.snapshot();

        for (Map<String, Object> key : List.<Map<String, Object>>of(
                Map.of("kekType", "MicrosoftManaged"), Map.of("kekType", "microsoftmanaged"), Map.of())) {
            Map<String, Object> body = wholeBody(read);
            body.put("keyEncryptionKey", key);
            Response refused = replace(order, body, read.header("ETag"));
            CmkOrder.assertError(refused, 400, "InvalidRequest", "keyEncryptionKey");
            assertThat(refused.<String>path("error.message")).as(key.toString()).contains("use-microsoft-key");
        }
        order.assertUnchangedSince(before);

        CmkOrder microsoftManaged = CmkOrder.create();
        Response itsRead = microsoftManaged.get();
        Map<String, Object> itsOwn = wholeBody(itsRead);
        itsOwn.put("keyEncryptionKey", Map.of("kekType", "MicrosoftManaged"));
        Response taken = replace(microsoftManaged, itsOwn, itsRead.header("ETag"));
        assertThat(taken.statusCode()).as(taken.asString()).isEqualTo(200);
        assertThat(taken.header("ETag")).isEqualTo(itsRead.header("ETag"));
    }

    /** The whole answer sent back with its ETag: {@code 200}, the same ETag, nothing of the order written. */
    private static void assertTheAnswerSentBackWritesNothing(CmkOrder order, Response read) {
        CmkOrder.Snapshot before = order.snapshot();
        Response unchanged = replace(order, wholeBody(read), read.header("ETag"));
        assertThat(unchanged.statusCode()).as(unchanged.asString()).isEqualTo(200);
        assertThat(unchanged.header("ETag")).as("nothing asked to change").isEqualTo(read.header("ETag"));
        order.assertUnchangedSince(before);
    }

    /** The body of a GET, every member of it, as a client that changes one and sends it back holds it. */
    private static Map<String, Object> wholeBody(Response read) {
        return new LinkedHashMap<>(read.<Map<String, Object>>path(""));
    }

    private static Map<String, Object> withKeyMember(Map<String, Object> kek, String member, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(kek);
        changed.put(member, value);
        return changed;
    }

    private static Response replace(CmkOrder order, Map<String, Object> body, String etag) {
        return given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(body)
                .put("/api/orders/{name}", order.name());
    }
}
