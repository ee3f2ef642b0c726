package com.databox.cmk.api;

import static com.databox.cmk.testing.CmkOrder.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class OrdersApiTest {

    static String newName() {
        return "o-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static Response create(String name) {
        return given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", name);
    }

    static String password(String name) {
        String password = given().post("/api/orders/{name}/listCredentials", name)
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .extract()
                .path("devicePassword");
        com.databox.cmk.testing.SeenSecrets.record(password);
        return password;
    }

    static TableEntity rawEntity(String name) {
        TableClient table = new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("orders")
                .buildClient();
        return table.getEntity(com.databox.cmk.testing.LocalStack.tenant().value(), "order~" + name);
    }

    @Test
    void createsOrderWithUnlockKeyWrappedByMicrosoftKey() {
        String name = newName();
        Response created = create(name);
        created.then()
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/orders/" + name))
                .body("name", equalTo(name))
                .body("location", equalTo("westus"))
                .body("stage", equalTo("DeviceOrdered"))
                .body("identity.type", equalTo("None"))
                .body("keyEncryptionKey.kekType", equalTo("MicrosoftManaged"))
                .header("Content-Type", "application/json; charset=utf-8")
                .body("keyEncryptionKey.kekUrl", nullValue())
                .body("keyEncryptionKey.kekVaultResourceID", nullValue())
                .body("keyEncryptionKey.identityProperties", nullValue())
                // API.md: only those three are absent on the Microsoft-managed key (before 2026-12-07, autoRotation
                // too).
                .body("keyEncryptionKey.autoRotation", equalTo(false))
                .body("keyHealth.status", equalTo("Unknown"))
                .body("createdAt", notNullValue());
        assertThat(created.header("ETag"))
                .isEqualTo(created.<String>path("etag"))
                .startsWith("W/");
        assertThat(created.asString()).doesNotContainIgnoringCase("wrapped").doesNotContain("devicePassword");

        given().get("/api/orders/{name}", name)
                .then()
                .statusCode(200)
                .header("Content-Type", "application/json; charset=utf-8")
                .body("etag", equalTo(created.<String>path("etag")));

        String password = password(name);
        assertThat(password).hasSize(24);
        assertThat(password(name)).isEqualTo(password);
    }

    /** A flow may copy the answer's {@code keyEncryptionKey} into a creation or a replacement (rv10 L1, 2026-12-07). */
    @Test
    void takesTheMicrosoftManagedKeyEncryptionKeyItAnswers() {
        String first = newName();
        Object copied = create(first).then().statusCode(201).extract().path("keyEncryptionKey");
        String second = newName();
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("location", "westus", "keyEncryptionKey", copied))
                .put("/api/orders/{name}", second);
        created.then().statusCode(201).body("keyEncryptionKey", equalTo(copied));
        given().contentType(ContentType.JSON)
                .header("If-Match", created.header("ETag"))
                .body(Map.of("location", "westus", "keyEncryptionKey", copied))
                .put("/api/orders/{name}", second)
                .then()
                .statusCode(200)
                .body("keyEncryptionKey", equalTo(copied));

        Response following = given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\",\"keyEncryptionKey\":{\"kekType\":\"MicrosoftManaged\","
                        + "\"autoRotation\":true}}")
                .put("/api/orders/{name}", newName());
        assertError(following, 400, "InvalidRequest", "autoRotation");
        following.then().body("error.target", equalTo("keyEncryptionKey.autoRotation"));
    }

    /**
     * Table Storage keeps a time to 100 ns (seven digits): a time the service answers has no finer digits, so the
     * next read of the same order answers the same time (bug bash of 2026-12-06, time F3: nine digits).
     */
    @Test
    void timesAreAnsweredToWhatTableStorageKeeps() {
        Response created = create(newName());
        created.then().statusCode(201);
        assertThat(List.of(created.<String>path("createdAt"), created.<String>path("updatedAt")))
                .allSatisfy(
                        time -> assertThat(time).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,7})?Z"));
    }

    @Test
    void storedEntityHoldsTheUnlockKeyOnlyWrappedByTheServiceKeyVersion() {
        String name = newName();
        create(name).then().statusCode(201);
        String password = password(name);

        TableEntity entity = rawEntity(name);
        entity.getProperties()
                .values()
                .forEach(value -> assertThat(String.valueOf(value)).doesNotContain(password));
        assertThat((String) entity.getProperty("WrappedKeyId"))
                .matches("https://127\\.0\\.0\\.1:\\d+/keys/" + LocalStack.MICROSOFT_KEY + "/[0-9a-f]{32}");
        assertThat((String) entity.getProperty("WrappedKey")).isNotBlank();
    }

    /** A location given but not a region name is told so, not that it is missing; neither creates the order. */
    @Test
    void aLocationThatIsNoRegionNameIsToldApartFromAMissingOne() {
        String name = newName();
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"West US\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"))
                .body("error.target", equalTo("location"))
                .body("error.message", containsString("must be an Azure region name"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(400)
                .body("error.target", equalTo("location"))
                .body("error.message", containsString("'location' is required"));
        given().get("/api/orders/{name}", name).then().statusCode(404);
    }

    @Test
    void refusesToCreateAnExistingOrderWithoutIfMatch() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");
        String password = password(name);

        given().contentType(ContentType.JSON)
                .body("{\"location\":\"eastus\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(409)
                .body("error.code", equalTo("OrderAlreadyExists"))
                .body("error.resolution", notNullValue());

        given().get("/api/orders/{name}", name)
                .then()
                .body("etag", equalTo(etag))
                .body("location", equalTo("westus"));
        assertThat(password(name)).isEqualTo(password);
    }

    /**
     * A route asked with a method it does not take answers 405 naming the methods it takes (RFC 9110, 15.5.6):
     * there was no Allow, and a GET of a POST-only encryption route answered 404 "no such route".
     */
    @Test
    void aMethodTheRouteDoesNotTakeAnswers405WithTheMethodsItTakes() {
        String name = newName();
        create(name).then().statusCode(201);
        Response delete = given().delete("/api/orders/{name}", name);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.<String>path("error.code")).isEqualTo("InvalidRequest");
        assertThat(delete.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, PUT");
        Response get = given().get("/api/orders/{name}/encryption/validate", name);
        assertThat(get.statusCode()).as(get.asString()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("OPTIONS, POST");
        given().get("/api/orders/{name}/no-such-route", name).then().statusCode(404);
        given().get("/api/orders/{name}", name).then().statusCode(200);
    }

    /**
     * OPTIONS names the methods of the route asked, as a 405 does: RESTEasy's answer named every method of the
     * resource class (POST and PATCH for an order, HEAD for a POST-only route).
     */
    @Test
    void optionsNamesTheMethodsOfTheRouteAsked() {
        String name = newName();
        Response order = RestAssured.given().options("/api/orders/{name}", name);
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(order.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, PUT");
        assertThat(RestAssured.given()
                        .options("/api/orders/{name}/encryption/enable", name)
                        .header("Allow"))
                .isEqualTo("OPTIONS, POST");
        assertThat(RestAssured.given().options("/api/orders").header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(RestAssured.given()
                        .options("/api/orders/{name}/identity", name)
                        .header("Allow"))
                .isEqualTo("OPTIONS, PATCH");
        // A path that is no route is 404 to OPTIONS as to any other method (contract bash F2: 200, and RESTEasy's
        // list of the resource class's methods).
        for (String noRoute :
                List.of("/api/orders/" + name + "/foo", "/api/orders/" + name + "/encryption/foo", "/api/nothing")) {
            Response answer = RestAssured.given().options(noRoute);
            assertThat(answer.statusCode()).as(noRoute).isEqualTo(404);
            assertThat(answer.jsonPath().getString("error.code")).isEqualTo("InvalidRequest");
            assertThat(answer.header("Allow")).isNull();
        }
    }

    /** A PUT with If-Match of an order that does not exist is 412, whatever the body would replace (it was a 400). */
    @Test
    void aPutWithIfMatchOfAnOrderThatDoesNotExistAnswers412WhateverItsBody() {
        String missing = newName();
        for (String body : List.of(
                "{\"location\":\"westus\",\"keyEncryptionKey\":{\"kekType\":\"CustomerManaged\","
                        + "\"kekUrl\":\"https://contoso.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef\","
                        + "\"identityProperties\":{\"type\":\"SystemAssigned\"}}}",
                "{\"location\":\"westus\",\"devicePassword\":\"Abcdefgh1234!\"}")) {
            given().contentType(ContentType.JSON)
                    .header("If-Match", "*")
                    .body(body)
                    .put("/api/orders/{name}", missing)
                    .then()
                    .statusCode(412)
                    .body("error.code", equalTo("PreconditionFailed"));
        }
        given().get("/api/orders/{name}", missing).then().statusCode(404);
    }

    /**
     * Several If-Match lines are one list (RFC 9110, 5.3): a stale ETag on a second line is compared (after
     * an empty first line it was not, and the write was made unconditionally), and so is a current one.
     */
    @Test
    void readsAnIfMatchOfSeveralHeaderLinesAsOneList() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");
        String stale = "W/\"datetime'2000-01-01T00%3A00%3A00Z'\"";

        given().contentType(ContentType.JSON)
                .header("If-Match", "", stale)
                .body("{\"location\":\"eastus\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(412)
                .body("error.code", equalTo("PreconditionFailed"));
        String missing = newName();
        given().contentType(ContentType.JSON)
                .header("If-Match", "", stale)
                .body("{\"location\":\"eastus\"}")
                .put("/api/orders/{name}", missing)
                .then()
                .statusCode(412);
        given().get("/api/orders/{name}", missing).then().statusCode(404);
        given().contentType(ContentType.JSON)
                .header("If-Match", " ", "")
                .body("{\"location\":\"eastus\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(400)
                .body("error.target", equalTo("If-Match"));
        // A list whose members are all empty names no ETag either, as for If-None-Match (since 2026-12-06: 412).
        for (String header : new String[] {",", " , ,", ", ,\t"}) {
            given().contentType(ContentType.JSON)
                    .header("If-Match", header)
                    .body("{\"location\":\"eastus\"}")
                    .put("/api/orders/{name}", name)
                    .then()
                    .statusCode(400)
                    .body("error.target", equalTo("If-Match"));
        }
        given().get("/api/orders/{name}", name).then().body("etag", equalTo(etag));

        given().contentType(ContentType.JSON)
                .header("If-Match", stale, etag)
                .body("{\"location\":\"eastus\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(200)
                .body("location", equalTo("eastus"));
    }

    @Test
    void replacesAnOrderWithItsCurrentEtagAndKeepsTheUnlockKey() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");
        String password = password(name);

        given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body("{\"location\":\"eastus\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(200)
                .body("location", equalTo("eastus"));
        given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body("{\"location\":\"northeurope\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(412)
                .body("error.code", equalTo("PreconditionFailed"));
        assertThat(password(name)).isEqualTo(password);
    }

    /**
     * A replacement naming a customer-managed key, complete or not, is told where keys change (target
     * keyEncryptionKey); a partial one was told what it lacked, and then refused anyway once completed.
     */
    @Test
    void aReplacementNamingACustomerManagedKeyIsSentToTheEncryptionRoutes() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");
        for (String key : List.of(
                "{\"kekType\":\"CustomerManaged\",\"kekUrl\":\"https://contoso.vault.azure.net/keys/k\"}",
                "{\"kekType\":\"CustomerManaged\"}")) {
            given().contentType(ContentType.JSON)
                    .header("If-Match", etag)
                    .body("{\"location\":\"westus\",\"keyEncryptionKey\":" + key + "}")
                    .put("/api/orders/{name}", name)
                    .then()
                    .statusCode(400)
                    .body("error.code", equalTo("InvalidRequest"))
                    .body("error.target", equalTo("keyEncryptionKey"))
                    .body("error.message", containsString("only through the encryption routes"));
        }
        given().get("/api/orders/{name}", name).then().body("etag", equalTo(etag));
    }

    @Test
    void answersOrderNotFoundForAnUnknownOrder() {
        given().get("/api/orders/{name}", newName())
                .then()
                .statusCode(404)
                .body("error.code", equalTo("OrderNotFound"))
                .body("error.target", equalTo("orderName"));
        given().post("/api/orders/{name}/listCredentials", newName()).then().statusCode(404);
    }

    @Test
    void listsOrdersAcrossPagesWithNextLink() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String name = newName();
            create(name).then().statusCode(201);
            created.add(name);
        }
        List<String> seen = new ArrayList<>();
        String next = "/api/orders?top=2";
        int pages = 0;
        while (next != null) {
            Response page = given().urlEncodingEnabled(false).get(next);
            page.then().statusCode(200);
            List<String> names = page.path("value.name");
            assertThat(names).hasSizeLessThanOrEqualTo(2);
            seen.addAll(names);
            next = page.path("nextLink");
            if (next != null) {
                // Absolute, from the configured public base URL; the test app listens elsewhere.
                assertThat(next).startsWith("https://databox-cmk.example.net/api/orders?");
                next = next.substring("https://databox-cmk.example.net".length());
            }
            pages++;
            assertThat(pages).as("pages").isLessThan(10_000);
        }
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(seen).containsAll(created).doesNotHaveDuplicates();
    }

    @Test
    void systemAssignedIdentityIsRecreatedWithANewPrincipalAfterNone() {
        String name = newName();
        create(name).then().statusCode(201);

        String first = patchIdentity(name, "{\"type\":\"SystemAssigned\"}")
                .then()
                .statusCode(200)
                .body("identity.type", equalTo("SystemAssigned"))
                .body("identity.tenantId", equalTo(EmulatorTestSupport.shared().defaultTenantId()))
                .extract()
                .path("identity.principalId");
        assertThat(first).isNotBlank();

        patchIdentity(name, "{\"type\":\"None\"}")
                .then()
                .statusCode(200)
                .body("identity.type", equalTo("None"))
                .body("identity.principalId", nullValue());

        String second = patchIdentity(name, "{\"type\":\"SystemAssigned\"}")
                .then()
                .statusCode(200)
                .extract()
                .path("identity.principalId");
        assertThat(second).isNotBlank().isNotEqualTo(first);
    }

    @Test
    void attachesUserAssignedIdentitiesResolvedFromTheDirectory() {
        String name = newName();
        create(name).then().statusCode(201);
        var identity = EmulatorTestSupport.admin()
                .createIdentity(
                        "uai-" + UUID.randomUUID(), EmulatorTestSupport.shared().defaultTenantId());

        patchIdentity(
                        name,
                        "{\"type\":\"SystemAssigned,UserAssigned\",\"userAssignedIdentities\":{\""
                                + identity.resourceId() + "\":{}}}")
                .then()
                .statusCode(200)
                .body("identity.type", equalTo("SystemAssigned,UserAssigned"))
                .body(
                        "identity.userAssignedIdentities.'" + identity.resourceId() + "'.principalId",
                        equalTo(identity.principalId()))
                .body(
                        "identity.userAssignedIdentities.'" + identity.resourceId() + "'.clientId",
                        equalTo(identity.clientId()));

        patchIdentity(
                        name,
                        "{\"type\":\"SystemAssigned\",\"userAssignedIdentities\":{\"" + identity.resourceId()
                                + "\":null}}")
                .then()
                .statusCode(200)
                .body("identity.type", equalTo("SystemAssigned"));
    }

    /** The target names an unknown field by its path in the body (since 2026-12-06: its own name only). */
    @Test
    void refusesAnUnknownFieldNamingItsPath() {
        String[][] bodies = {
            {"{\"location\":\"westus\",\"foo\":1}", "foo"},
            {"{\"location\":\"westus\",\"identity\":{\"type\":\"None\",\"foo\":1}}", "identity.foo"},
            {
                "{\"location\":\"westus\",\"keyEncryptionKey\":{\"kekType\":\"MicrosoftManaged\",\"bar\":1}}",
                "keyEncryptionKey.bar"
            }
        };
        for (String[] body : bodies) {
            String name = newName();
            given().contentType(ContentType.JSON)
                    .body(body[0])
                    .put("/api/orders/{name}", name)
                    .then()
                    .statusCode(400)
                    .body("error.target", equalTo(body[1]))
                    .body("error.message", containsString("'" + body[1] + "'"));
            given().get("/api/orders/{name}", name).then().statusCode(404);
        }
    }

    @Test
    void refusesAnUnknownUserAssignedIdentityAndChangesNothing() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");
        // In the resource group where the caller may assign identities: it does not exist.
        var emulator = com.databox.cmk.emulator.EmulatorTestSupport.shared();
        String unknown = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/" + emulator.resourceGroup()
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/never-created-" + UUID.randomUUID();
        patchIdentity(name, "{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + unknown + "\":{}}}")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("SsemUserErrorKekUserIdentityNotFound"))
                .body("error.message", org.hamcrest.Matchers.containsString(unknown));
        // Where the caller may not assign anything, whether it exists is not told (issue 12).
        String elsewhere = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
                + "Microsoft.ManagedIdentity/userAssignedIdentities/never-created-" + UUID.randomUUID();
        patchIdentity(name, "{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + elsewhere + "\":{}}}")
                .then()
                .statusCode(403)
                .body("error.code", equalTo("LinkedAuthorizationFailed"));
        patchIdentity(name, "{\"type\":\"None,SystemAssigned\"}")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"))
                .body("error.target", equalTo("identity.type"));
        given().get("/api/orders/{name}", name)
                .then()
                .body("etag", equalTo(etag))
                .body("identity.type", equalTo("None"));
    }

    @Test
    void refusesMoreUserAssignedIdentitiesThanTheLimit() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");
        StringBuilder map = new StringBuilder();
        for (int i = 0; i < LocalStack.USER_ASSIGNED_LIMIT + 1; i++) {
            var identity = EmulatorTestSupport.admin()
                    .createIdentity(
                            "uai-" + UUID.randomUUID(),
                            EmulatorTestSupport.shared().defaultTenantId());
            map.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(identity.resourceId())
                    .append("\":{}");
        }
        patchIdentity(name, "{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{" + map + "}}")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("SsemUserErrorUserAssignedLimitReached"));
        given().get("/api/orders/{name}", name).then().body("etag", equalTo(etag));
    }

    @Test
    void movesForwardOnlyAndUnwrapsTheKeyWhenDataCopyStarts() {
        String name = newName();
        create(name).then().statusCode(201);
        moveTo(name, "Delivered").then().statusCode(200).body("stage", equalTo("Delivered"));
        moveTo(name, "Dispatched").then().statusCode(409).body("error.code", equalTo("InvalidStageTransition"));
        moveTo(name, "DataCopy").then().statusCode(200).body("stage", equalTo("DataCopy"));
        // The same move again (a client's retry after a lost answer): done already, nothing changes.
        String etag = given().get("/api/orders/{name}", name).then().extract().path("etag");
        moveTo(name, "DataCopy")
                .then()
                .statusCode(200)
                .body("stage", equalTo("DataCopy"))
                .body("etag", equalTo(etag));
        moveTo(name, "Completed").then().statusCode(200);
        moveTo(name, "Completed").then().statusCode(200).body("stage", equalTo("Completed"));
        moveTo(name, "Cancelled").then().statusCode(409).body("error.code", equalTo("InvalidStageTransition"));
        given().get("/api/orders/{name}", name).then().body("stage", equalTo("Completed"));
    }

    @Test
    void anIfMatchListNamingTheCurrentEtagAmongOthersMatches() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");
        String stale = "W/\"datetime'2000-01-01T00%3A00%3A00Z'\"";

        given().contentType(ContentType.JSON)
                .header("If-Match", stale + ", \"a,b\"")
                .body("{\"stage\":\"DevicePrepared\"}")
                .post("/api/orders/{name}/stage", name)
                .then()
                .statusCode(412);
        given().contentType(ContentType.JSON)
                .header("If-Match", stale + ", " + etag)
                .body("{\"stage\":\"DevicePrepared\"}")
                .post("/api/orders/{name}/stage", name)
                .then()
                .statusCode(200)
                .body("stage", equalTo("DevicePrepared"));
    }

    @Test
    void ofTwoWritersWithTheSameEtagOneWinsAndTheOtherGets412() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");
        String password = password(name);

        Response first = given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body("{\"stage\":\"DevicePrepared\"}")
                .post("/api/orders/{name}/stage", name);
        Response second = given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body("{\"type\":\"SystemAssigned\"}")
                .patch("/api/orders/{name}/identity", name);

        first.then().statusCode(200);
        second.then().statusCode(412).body("error.code", equalTo("PreconditionFailed"));
        given().get("/api/orders/{name}", name)
                .then()
                .body("stage", equalTo("DevicePrepared"))
                .body("identity.type", equalTo("None"))
                .body("etag", equalTo(first.<String>path("etag")));
        assertThat(password(name)).isEqualTo(password);
    }

    @Test
    void everyClientMistakeGetsItsCodeAndChangesNothing() {
        String name = newName();
        String etag = create(name).then().statusCode(201).extract().path("etag");

        record Mistake(String method, String path, String body, int status, String code) {}
        List<Mistake> mistakes = List.of(
                new Mistake("PUT", "/api/orders/" + name, "{\"location\":", 400, "InvalidRequest"),
                new Mistake(
                        "PUT",
                        "/api/orders/" + newName(),
                        "{\"location\":\"westus\",\"colour\":\"red\"}",
                        400,
                        "InvalidRequest"),
                new Mistake("PUT", "/api/orders/" + newName(), "{}", 400, "InvalidRequest"),
                // Strict JSON: nothing after the value, and no number or boolean read as a string.
                new Mistake("PUT", "/api/orders/" + newName(), "{\"location\":\"westus\"}}", 400, "InvalidRequest"),
                new Mistake(
                        "PUT",
                        "/api/orders/" + newName(),
                        "{\"location\":\"westus\"} {\"location\":\"eastus\"}",
                        400,
                        "InvalidRequest"),
                new Mistake("PUT", "/api/orders/" + newName(), "{\"location\":12}", 400, "InvalidRequest"),
                new Mistake(
                        "PUT",
                        "/api/orders/" + newName(),
                        "{\"location\":\"westus\",\"location\":\"eastus\"}",
                        400,
                        "InvalidRequest"),
                new Mistake(
                        "PATCH",
                        "/api/orders/" + name + "/identity",
                        "{\"type\":\"None\",\"type\":\"SystemAssigned\"}",
                        400,
                        "InvalidRequest"),
                new Mistake("PUT", "/api/orders/" + newName(), "{\"location\":true}", 400, "InvalidRequest"),
                new Mistake("PUT", "/api/orders/" + newName(), "[1,2]", 400, "InvalidRequest"),
                new Mistake("PUT", "/api/orders/a_b", "{\"location\":\"westus\"}", 400, "InvalidRequest"),
                new Mistake(
                        "PUT",
                        "/api/orders/" + newName(),
                        "{\"location\":\"westus\",\"identity\":{\"type\":\"Both\"}}",
                        400,
                        "InvalidRequest"),
                new Mistake(
                        "PATCH",
                        "/api/orders/" + name + "/identity",
                        "{\"type\":\"UserAssigned\"," + "\"userAssignedIdentities\":{\"not-a-resource-id\":{}}}",
                        400,
                        "InvalidRequest"),
                new Mistake("PATCH", "/api/orders/" + name + "/identity", "", 400, "InvalidRequest"),
                new Mistake(
                        "POST", "/api/orders/" + name + "/stage", "{\"stage\":\"Teleported\"}", 400, "InvalidRequest"),
                new Mistake("POST", "/api/orders/" + name + "/stage", "{\"stage\":7}", 400, "InvalidRequest"),
                new Mistake("GET", "/api/orders?top=0", null, 400, "InvalidRequest"),
                new Mistake("GET", "/api/orders?top=many", null, 400, "InvalidRequest"),
                new Mistake("GET", "/api/orders?$skipToken=%25%25", null, 400, "InvalidRequest"),
                // A path not written plainly, refused before the routes (api/CanonicalPaths).
                new Mistake("GET", "/api/orders/a;b=1", null, 400, "InvalidRequest"),
                new Mistake("GET", "/api/orders/order%2D1", null, 400, "InvalidRequest"),
                new Mistake(
                        "POST",
                        "/api/orders/" + name + "/stage",
                        "{\"stage\":\"DevicePrepared\"}",
                        412,
                        "PreconditionFailed"));
        for (Mistake mistake : mistakes) {
            var request = given().urlEncodingEnabled(false).contentType(ContentType.JSON);
            if (mistake.body() != null) {
                request.body(mistake.body());
            }
            if (mistake.status() == 412) {
                request.header("If-Match", "W/\"datetime'2000-01-01T00%3A00%3A00Z'\"");
            }
            Response response = request.request(mistake.method(), mistake.path());
            // As the success answers' type and as API.md writes it (since 2026-12-06: application/json, without the
            // charset; since 2026-12-07 in API.md's spelling, not Quarkus's application/json;charset=UTF-8).
            assertThat(response.contentType())
                    .as(mistake + " " + response.statusCode() + " " + response.asString())
                    .isEqualTo("application/json; charset=utf-8");
            assertThat(response.statusCode()).as(mistake.toString()).isEqualTo(mistake.status());
            assertThat(response.<String>path("error.code"))
                    .as(mistake.toString())
                    .isEqualTo(mistake.code());
            assertThat(response.<String>path("error.message"))
                    .as(mistake.toString())
                    .isNotBlank();
            assertThat(response.asString())
                    .as(mistake.toString())
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
        // Bug bash dv1 F3: a percent-encoded letter is refused, and the message says so (it named only dots, slashes,
        // backslashes, semicolons and percent signs, so a client encoding every character was told it was fine).
        given().urlEncodingEnabled(false)
                .get("/api/orders/%6Dmk1")
                .then()
                .statusCode(400)
                .body("error.message", containsString("a letter"));
        // An empty If-Match is no If-Match: the write it would make unconditionally is refused.
        String another = newName();
        given().contentType(ContentType.JSON)
                .header("If-Match", "")
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", another)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRequest"))
                .body("error.target", equalTo("If-Match"));
        given().get("/api/orders/{name}", another).then().statusCode(404);
        given().contentType(ContentType.JSON)
                .header("If-Match", " ")
                .body("{\"stage\":\"DevicePrepared\"}")
                .post("/api/orders/{name}/stage", name)
                .then()
                .statusCode(400)
                .body("error.target", equalTo("If-Match"));
        given().get("/api/orders/{name}", name).then().body("etag", equalTo(etag));
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\",\"location\":\"eastus\"}")
                .put("/api/orders/{name}", newName())
                .then()
                .statusCode(400)
                .body("error.message", containsString("'location' is named twice in one object (line 1, column"));
        given().get("/api/orders/{name}", name).then().body("etag", equalTo(etag));
    }

    @Test
    void creatingWithACustomerManagedKeyOfAnUnreachableVaultCreatesNothing() {
        String name = newName();
        given().contentType(ContentType.JSON)
                .body("{\"location\":\"westus\",\"keyEncryptionKey\":{"
                        + "\"kekType\":\"CustomerManaged\",\"kekUrl\":\"https://contoso.vault.azure.net/keys/k\","
                        + "\"identityProperties\":{\"type\":\"SystemAssigned\"}}}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("SsemUserErrorSystemAssignedIdentityAbsent"));
        given().get("/api/orders/{name}", name).then().statusCode(404);
    }

    /**
     * On a create, a key's own checks name {@code kekUrl} as on the encryption routes (the first version's contract),
     * and only the body's shape names the path {@code keyEncryptionKey.kekUrl} (API.md, "Errors").
     */
    @Test
    void aCreatesKeyRefusedForWhatItIsNamesKekUrlAndAMissingOneItsPath() {
        String name = newName();
        String system = "\"identityProperties\":{\"type\":\"SystemAssigned\"}";
        String[][] cases = {
            {
                "\"kekUrl\":\"http://contoso.vault.azure.net/keys/k\"," + system,
                "SsemUserErrorKeyVaultUrlWithInvalidScheme",
                "kekUrl"
            },
            {
                "\"kekUrl\":\"https://contoso.example.com/keys/k\"," + system,
                "SsemUserErrorKeyVaultUrlInvalidHost",
                "kekUrl"
            },
            {
                "\"kekUrl\":\"https://contoso.vault.azure.net/secrets/k\"," + system,
                "SsemUserErrorInvalidKeyVaultUrl",
                "kekUrl"
            },
            {
                "\"kekUrl\":\"https://contoso.vault.azure.net/keys/k\",\"identityProperties\":{\"type\":\"Nobody\"}",
                "InvalidRequest",
                "identityProperties.type"
            },
            {system, "InvalidRequest", "keyEncryptionKey.kekUrl"},
            {
                "\"kekUrl\":\"https://contoso.vault.azure.net/keys/k\"",
                "InvalidRequest",
                "keyEncryptionKey.identityProperties"
            },
        };
        for (String[] c : cases) {
            given().contentType(ContentType.JSON)
                    .body("{\"location\":\"westus\",\"keyEncryptionKey\":{\"kekType\":\"CustomerManaged\"," + c[0]
                            + "}}")
                    .put("/api/orders/{name}", name)
                    .then()
                    .statusCode(400)
                    .body("error.code", equalTo(c[1]))
                    .body("error.target", equalTo(c[2]));
        }
        given().get("/api/orders/{name}", name).then().statusCode(404);
    }

    static Response patchIdentity(String name, String body) {
        return given().contentType(ContentType.JSON).body(body).patch("/api/orders/{name}/identity", name);
    }

    static Response moveTo(String name, String stage) {
        return given().contentType(ContentType.JSON)
                .body("{\"stage\":\"" + stage + "\"}")
                .post("/api/orders/{name}/stage", name);
    }
}
