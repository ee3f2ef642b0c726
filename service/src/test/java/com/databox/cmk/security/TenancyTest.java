package com.databox.cmk.security;

import static com.databox.cmk.testing.CmkOrder.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, over HTTP against the emulator: two tenants, two customers each. Tenant A is the
 * emulator's default tenant (customer a1 is the suite's default caller, Managed Identity Operator on
 * the resource group; a2 holds every app role but no Azure role); tenant B is a second tenant whose
 * customers b1 (operator on its own identity only) and b2 hold every app role.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class TenancyTest {
    private static final String[] ALL_ROLES = {
        "Orders.Read", "Orders.Write", "Encryption.Manage", "Credentials.Read", "Audit.Run"
    };
    private static final String TENANT_B = UUID.randomUUID().toString();

    /** A caller: its tenant, object ID and a token with every app role. */
    record Customer(String tenant, String oid, String token) {
        static Customer of(String tenant, boolean appOnly) {
            String oid = UUID.randomUUID().toString();
            ObjectNode request =
                    Json.object().put("tenantId", tenant).put("oid", oid).put("appOnly", appOnly);
            java.util.Arrays.stream(ALL_ROLES).forEach(request.putArray("roles")::add);
            return new Customer(tenant, oid, EmulatorTestSupport.admin().callerToken(request));
        }

        RequestSpecification call() {
            return given().header("Authorization", "Bearer " + token);
        }
    }

    private static Customer a2;
    private static Customer b1;
    private static Customer b2;
    private static CustomerKeyVault victimVault;
    private static CmkOrder victim;
    private static String victimSystemIdentity;

    /** Once for the class, but after Quarkus has pointed REST Assured at the app. */
    @BeforeEach
    void twoTenants() {
        if (victim != null) {
            return;
        }
        a2 = Customer.of(CustomerKeyVault.defaultTenantId(), false);
        b1 = Customer.of(TENANT_B, false);
        b2 = Customer.of(TENANT_B, false);
        // a1 (the default caller) owns the victim: a customer-managed key through a user-assigned identity,
        // and a system-assigned identity too.
        victimVault = CustomerKeyVault.create();
        victim = CmkOrder.create();
        victim.attachSystemAndUserAssigned(victimVault.identity());
        victim.enable(victimVault).then().statusCode(200);
        victimSystemIdentity = (String) CmkOrder.rawEntity(victim.name()).getProperty("SystemResourceId");
        assertThat(victimSystemIdentity).isNotBlank();
    }

    private static String scope(IdentityInfo identity) {
        return identity.resourceId();
    }

    /** Every route of the order, as another tenant's caller would try it. */
    private static List<Response> everyRoute(Customer caller, String order) {
        Map<String, Object> enable = CmkOrder.enableBody(
                victimVault.keyUrl(),
                victimVault.resourceId(),
                CmkOrder.userAssigned(victimVault.identity().resourceId()));
        return List.of(
                caller.call().get("/api/orders/{name}", order),
                caller.call()
                        .header("If-Match", "*")
                        .contentType(ContentType.JSON)
                        .body("{\"location\":\"eastus\"}")
                        .put("/api/orders/{name}", order),
                caller.call()
                        .contentType(ContentType.JSON)
                        .body("{\"type\":\"None\"}")
                        .patch("/api/orders/{name}/identity", order),
                caller.call()
                        .contentType(ContentType.JSON)
                        .body("{\"stage\":\"DataCopy\"}")
                        .post("/api/orders/{name}/stage", order),
                caller.call()
                        .contentType(ContentType.JSON)
                        .body(enable)
                        .post("/api/orders/{name}/encryption/enable", order),
                caller.call()
                        .contentType(ContentType.JSON)
                        .body(CmkOrder.changeKeyBody(victimVault.keyUrl(), null))
                        .post("/api/orders/{name}/encryption/change-key", order),
                caller.call()
                        .contentType(ContentType.JSON)
                        .body(Map.of("identityProperties", CmkOrder.systemAssigned()))
                        .post("/api/orders/{name}/encryption/change-identity", order),
                caller.call().post("/api/orders/{name}/encryption/use-microsoft-key", order),
                caller.call().post("/api/orders/{name}/encryption/validate", order),
                caller.call()
                        .contentType(ContentType.JSON)
                        .body(enable)
                        .post("/api/orders/{name}/encryption/validate", order),
                caller.call().post("/api/orders/{name}/listCredentials", order));
    }

    @Test
    void everyRouteOfAnotherTenantsOrderIsNotFoundAndChangesNothing() {
        CmkOrder.Snapshot before = victim.snapshot();
        CustomerKeyVault.admin().resetRequests(victimVault.name());
        for (Customer stranger : List.of(b1, b2, Customer.of(TENANT_B, true))) {
            List<Response> answers = everyRoute(stranger, victim.name());
            // PUT with If-Match: * of a name the caller's tenant does not have answers 412, as for any missing order.
            assertError(answers.get(1), 412, "PreconditionFailed", victim.name());
            for (Response response : answers.subList(0, 1)) {
                assertError(response, 404, "OrderNotFound", victim.name());
            }
            for (Response response : answers.subList(2, answers.size())) {
                assertError(response, 404, "OrderNotFound", victim.name());
            }
        }
        assertThat(CustomerKeyVault.admin().requests(victimVault.name()).total())
                .as("no Key Vault call on the victim's behalf")
                .isZero();
        victim.assertUnchangedSince(before);
    }

    @Test
    void aNameIsPerTenantSoAnotherTenantCreatingItGetsItsOwnOrder() {
        // An order of its own: the other tests expect tenant B to have no order of the victim's name.
        CmkOrder mine = CmkOrder.create();
        CmkOrder.Snapshot before = mine.snapshot();
        b1.call()
                .contentType(ContentType.JSON)
                .body("{\"location\":\"eastus\"}")
                .put("/api/orders/{name}", mine.name())
                .then()
                .statusCode(201);
        b1.call()
                .get("/api/orders/{name}", mine.name())
                .then()
                .statusCode(200)
                .body("location", org.hamcrest.Matchers.equalTo("eastus"));
        assertThat(b2.call()
                        .post("/api/orders/{name}/listCredentials", mine.name())
                        .statusCode())
                .isEqualTo(200);
        mine.assertUnchangedSince(before);
    }

    @Test
    void listsShowOnlyTheCallersTenant() {
        String bOrder = CmkOrder.newName();
        b1.call()
                .contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", bOrder)
                .then()
                .statusCode(201);
        List<String> seenByB = b2.call()
                .get("/api/orders?top=1000")
                .then()
                .statusCode(200)
                .extract()
                .path("value.name");
        assertThat(seenByB).contains(bOrder);
        // Tenant A holds many orders (the audit tests make a thousand): read every page of its list.
        List<String> seenByA = new java.util.ArrayList<>();
        String next = "/api/orders?top=1000";
        while (next != null) {
            Response page = given().urlEncodingEnabled(false).get(next);
            seenByA.addAll(page.then().statusCode(200).extract().<List<String>>path("value.name"));
            String link = page.path("nextLink");
            next = link == null ? null : link.substring("https://databox-cmk.example.net".length());
        }
        assertThat(seenByA).contains(victim.name());
        assertThat(seenByA).as("tenant A's list").doesNotContain(bOrder);
        List<String> seenByApp = Customer.of(TENANT_B, true)
                .call()
                .get("/api/orders?top=1000")
                .then()
                .statusCode(200)
                .extract()
                .path("value.name");
        assertThat(seenByApp).as("an app-only token of tenant B").contains(bOrder);
    }

    /**
     * A listing goes on after the last order name its page gave, checked by the service: a store's
     * own continuation (a partition and row key, which a client could point at another tenant's
     * partition) is refused, and the last page has no nextLink.
     */
    @Test
    void aListingGoesOnByOrderNameAndTakesNoStoreContinuation() {
        Customer only = Customer.of(UUID.randomUUID().toString(), false);
        List<String> names = List.of("list-a-" + UUID.randomUUID().toString().substring(0, 8), "list-b-x");
        for (String name : names) {
            only.call()
                    .contentType(ContentType.JSON)
                    .body("{\"location\":\"westus\"}")
                    .put("/api/orders/{name}", name)
                    .then()
                    .statusCode(201);
        }
        assertThat(only.call()
                        .get("/api/orders?top=2")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<String>path("nextLink"))
                .as("a page that ends the list")
                .isNull();

        Response first = only.call().get("/api/orders?top=1");
        assertThat(first.<List<String>>path("value.name")).containsExactly(names.get(0));
        String link = first.path("nextLink");
        Response second =
                only.call().urlEncodingEnabled(false).get(link.substring("https://databox-cmk.example.net".length()));
        assertThat(second.<List<String>>path("value.name")).containsExactly(names.get(1));
        assertThat(second.<String>path("nextLink")).isNull();

        String storeContinuation = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CustomerKeyVault.defaultTenantId() + ";order~a").getBytes(StandardCharsets.UTF_8));
        assertError(only.call().get("/api/orders?top=1&$skipToken=" + storeContinuation), 400, "InvalidRequest");
    }

    @Test
    void auditRunsArePerTenant() {
        Response started = b1.call().post("/api/audits");
        started.then().statusCode(202);
        String runId = started.path("runId");
        assertError(given().get("/api/audits/{id}", runId), 404, "AuditRunNotFound");
        assertThat(b2.call().get("/api/audits/{id}", runId).statusCode()).isIn(200, 202);
    }

    @Test
    void theConfusedDeputyCannotAttachAnotherOrdersIdentity() {
        // a2, of the victim's own tenant, holds Orders.Write and Encryption.Manage but no Azure role.
        String own = CmkOrder.newName();
        a2.call()
                .contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", own)
                .then()
                .statusCode(201);
        CmkOrder.Snapshot before = victim.snapshot();
        for (String identity :
                List.of(victimSystemIdentity, victimVault.identity().resourceId())) {
            Response attach = a2.call()
                    .contentType(ContentType.JSON)
                    .body("{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + identity + "\":{}}}")
                    .patch("/api/orders/{name}/identity", own);
            assertError(attach, 403, "LinkedAuthorizationFailed", "assign");
            Response enable = a2.call()
                    .contentType(ContentType.JSON)
                    .body(CmkOrder.enableBody(victimVault.keyUrl(), null, CmkOrder.userAssigned(identity)))
                    .post("/api/orders/{name}/encryption/enable", own);
            assertError(enable, 400, "SsemUserErrorUserAssignedIdentityAbsent");
        }
        a2.call()
                .get("/api/orders/{name}", own)
                .then()
                .statusCode(200)
                .body("identity.type", org.hamcrest.Matchers.equalTo("None"))
                .body("keyEncryptionKey.kekType", org.hamcrest.Matchers.equalTo("MicrosoftManaged"));
        victim.assertUnchangedSince(before);
    }

    @Test
    void aServiceCreatedIdentityIsNeverAttachableEvenWithThePermission() {
        // The default caller may assign every identity of the resource group, the orders' own included.
        CmkOrder own = CmkOrder.create();
        Response attach = own.patchIdentity(
                "{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + victimSystemIdentity + "\":{}}}");
        assertError(attach, 403, "LinkedAuthorizationFailed");
        assertThat(attach.asString()).doesNotContain("managed by the service");
        own.get().then().body("identity.type", org.hamcrest.Matchers.equalTo("None"));
    }

    @Test
    void anIdentityOfAnotherTenantIsNotAttachable() {
        IdentityInfo bIdentity = CustomerKeyVault.admin().createIdentity("uai-" + UUID.randomUUID(), TENANT_B);
        // a1 may assign it as far as RBAC goes (the group), but it lives in tenant B.
        CmkOrder own = CmkOrder.create();
        assertError(
                own.patchIdentity("{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + bIdentity.resourceId()
                        + "\":{}}}"),
                403,
                "LinkedAuthorizationFailed");
    }

    @Test
    void aCustomerOfTenantBUsesItsOwnIdentityAndKey() {
        IdentityInfo bIdentity = CustomerKeyVault.admin().createIdentity("uai-" + UUID.randomUUID(), TENANT_B);
        CustomerKeyVault bVault = CustomerKeyVault.create(bIdentity, TENANT_B, true, true, false);
        CustomerKeyVault.admin().assignRole(b1.oid(), scope(bIdentity), "Managed Identity Operator");
        // b2 has no Azure role on it; b1 has.
        String order = b1AttachesWhatB2CannotAttach(bIdentity);
        b1.call()
                .contentType(ContentType.JSON)
                .body(CmkOrder.enableBody(
                        bVault.keyUrl(), bVault.resourceId(), CmkOrder.userAssigned(bIdentity.resourceId())))
                .post("/api/orders/{name}/encryption/enable", order)
                .then()
                .statusCode(200);
        // Tenant A's caller cannot see it.
        assertError(given().get("/api/orders/{name}", order), 404, "OrderNotFound");
    }

    @Test
    void aGroupsRoleCountsForItsMembersAndForNoOneElse() {
        IdentityInfo bIdentity = CustomerKeyVault.admin().createIdentity("uai-" + UUID.randomUUID(), TENANT_B);
        // b1 is in a group, itself in the group that has the role (docs/SECURITY.md: groups count); b2 is not.
        String operators = UUID.randomUUID().toString();
        String team = UUID.randomUUID().toString();
        CustomerKeyVault.admin().putGroup(team, b1.oid());
        CustomerKeyVault.admin().putGroup(operators, team);
        CustomerKeyVault.admin().assignRole(operators, scope(bIdentity), "Managed Identity Operator");

        b1AttachesWhatB2CannotAttach(bIdentity);
    }

    /** b1 creates an order; b2 may not attach {@code identity} to it, b1 may. @return the order's name */
    private static String b1AttachesWhatB2CannotAttach(IdentityInfo identity) {
        String order = CmkOrder.newName();
        b1.call()
                .contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", order)
                .then()
                .statusCode(201);
        String attach = "{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + identity.resourceId() + "\":{}}}";
        assertError(
                b2.call().contentType(ContentType.JSON).body(attach).patch("/api/orders/{name}/identity", order),
                403,
                "LinkedAuthorizationFailed");
        b1.call()
                .contentType(ContentType.JSON)
                .body(attach)
                .patch("/api/orders/{name}/identity", order)
                .then()
                .statusCode(200)
                .body("identity.type", org.hamcrest.Matchers.equalTo("UserAssigned"));
        return order;
    }

    @Test
    void locationAndNextLinkComeFromConfigurationNotTheHostHeader() {
        String name = CmkOrder.newName();
        String location = given().header("Host", "evil.example:9999")
                .contentType(ContentType.JSON)
                .body("{\"location\":\"westus\"}")
                .put("/api/orders/{name}", name)
                .then()
                .statusCode(201)
                .extract()
                .header("Location");
        assertThat(location).isEqualTo("https://databox-cmk.example.net/api/orders/" + name);
        CmkOrder.create();
        String nextLink = given().header("Host", "evil.example")
                .header("X-Forwarded-Host", "evil.example")
                .get("/api/orders?top=1")
                .then()
                .statusCode(200)
                .extract()
                .path("nextLink");
        assertThat(nextLink).startsWith("https://databox-cmk.example.net/api/orders?top=1&$skipToken=");
        String audit = given().header("Host", "evil.example")
                .post("/api/audits")
                .then()
                .statusCode(202)
                .extract()
                .header("Location");
        assertThat(audit).startsWith("https://databox-cmk.example.net/api/audits/");
    }

    @Test
    void tokensIssuedInTheFutureOrLivingTooLongAreRefused() {
        ObjectNode future = Json.object().put("issuedAtOffsetSeconds", 3600);
        future.putArray("roles").add("Orders.Read");
        assertError(
                given().header(
                                "Authorization",
                                "Bearer " + EmulatorTestSupport.admin().callerToken(future))
                        .get("/api/orders"),
                401,
                "Unauthorized");
        ObjectNode tooLong = Json.object().put("lifetimeSeconds", 30 * 3600);
        tooLong.putArray("roles").add("Orders.Read");
        assertError(
                given().header(
                                "Authorization",
                                "Bearer " + EmulatorTestSupport.admin().callerToken(tooLong))
                        .get("/api/orders"),
                401,
                "Unauthorized");
        ObjectNode noTenant = Json.object().put("tenantId", "not-a-tenant");
        noTenant.putArray("roles").add("Orders.Read");
        assertError(
                given().header(
                                "Authorization",
                                "Bearer " + EmulatorTestSupport.admin().callerToken(noTenant))
                        .get("/api/orders"),
                401,
                "Unauthorized");
    }

    @Test
    void theEmulatorServesEveryTenantsIssuer() {
        KeyVaultEmulator emulator = EmulatorTestSupport.shared();
        assertThat(emulator.entraIssuer()).contains(emulator.defaultTenantId());
        b1.call().get("/api/orders").then().statusCode(200);
    }
}
