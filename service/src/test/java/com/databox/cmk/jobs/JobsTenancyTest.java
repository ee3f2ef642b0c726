package com.databox.cmk.jobs;

import static com.databox.cmk.jobs.ArmJobs.V2020;
import static com.databox.cmk.jobs.ArmJobs.V2025;
import static com.databox.cmk.jobs.ArmJobs.assertArmError;
import static com.databox.cmk.jobs.ArmJobs.jobBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.testing.LocalStack;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 on the Microsoft.DataBox/jobs surface: a subscription belongs to the tenant of its first
 * job, and a caller of another tenant finds nothing in it (ARM's SubscriptionNotFound), on every
 * route, while its own subscriptions hold its own jobs, even under the same names.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class JobsTenancyTest {

    /** A caller of another tenant than the default one, holding every app role. */
    private static RequestSpecification tenantB(String tenant) {
        return tenantB(tenant, UUID.randomUUID().toString());
    }

    private static RequestSpecification tenantB(String tenant, String oid) {
        ObjectNode request = Json.object().put("tenantId", tenant).put("oid", oid);
        List.of("Orders.Read", "Orders.Write", "Encryption.Manage", "Credentials.Read")
                .forEach(request.putArray("roles")::add);
        String token = EmulatorTestSupport.admin().callerToken(request);
        return given().header("Authorization", "Bearer " + token);
    }

    @Test
    void anotherTenantFindsNothingInASubscriptionItDoesNotOwn() {
        ArmJobs victim = new ArmJobs();
        String name = ArmJobs.newName();
        Response created = victim.put(name, jobBody(Map.of("type", "SystemAssigned"), null), V2025);
        created.then().statusCode(200);
        String etag = created.header("ETag");
        String tenant = UUID.randomUUID().toString();
        String job = victim.jobPath(name);
        String group = job.substring(0, job.indexOf("/providers/"));
        String subscription = group.substring(0, group.indexOf("/resourceGroups/"));

        Map<String, Function<RequestSpecification, Response>> routes = Map.of(
                "get", r -> r.queryParam("api-version", V2025).get(job),
                "patch",
                        r -> r.contentType(ContentType.JSON)
                                .body(Map.of("tags", Map.of("owner", "mallory")))
                                .queryParam("api-version", V2025)
                                .patch(job),
                "put",
                        r -> r.contentType(ContentType.JSON)
                                .body(jobBody(Map.of("type", "SystemAssigned"), null))
                                .queryParam("api-version", V2025)
                                .put(job),
                "delete", r -> r.queryParam("api-version", V2025).delete(job),
                "listCredentials", r -> r.queryParam("api-version", V2020).post(job + "/listCredentials"),
                "cancel",
                        r -> r.contentType(ContentType.JSON)
                                .body(Map.of("reason", "mine now"))
                                .queryParam("api-version", V2025)
                                .post(job + "/cancel"),
                "list by resource group",
                        r -> r.queryParam("api-version", V2025).get(group + "/providers/Microsoft.DataBox/jobs"),
                "list by subscription",
                        r -> r.queryParam("api-version", V2025)
                                .get(subscription + "/providers/Microsoft.DataBox/jobs"));
        for (var route : routes.entrySet()) {
            Response answer = route.getValue().apply(tenantB(tenant));
            assertArmError(answer, 404, "SubscriptionNotFound");
            assertThat(answer.asString()).as(route.getKey()).doesNotContain(name);
        }

        Response unchanged = victim.get(name, "details");
        unchanged.then().statusCode(200);
        assertThat(unchanged.header("ETag")).isEqualTo(etag);
        assertThat(unchanged.<String>path("properties.status")).isEqualTo("DeviceOrdered");
        assertThat(unchanged.<Map<String, Object>>path("tags")).doesNotContainKey("owner");
    }

    @Test
    void eachTenantsJobsAreItsOwnUnderTheSameNames() {
        ArmJobs tenantA = new ArmJobs();
        ArmJobs ownOfB = new ArmJobs();
        String tenant = UUID.randomUUID().toString();
        String callerOfB = UUID.randomUUID().toString();
        ArmJobs.grantJobs(callerOfB, ownOfB.subscription);
        String name = ArmJobs.newName();
        tenantA.put(name, jobBody(Map.of("type", "SystemAssigned"), null), V2025)
                .then()
                .statusCode(200);

        Response createdByB = tenantB(tenant, callerOfB)
                .contentType(ContentType.JSON)
                .body(jobBody(Map.of("type", "SystemAssigned"), null))
                .queryParam("api-version", V2025)
                .put(ownOfB.jobPath(name));
        createdByB.then().statusCode(200);
        String principalOfB = createdByB.path("identity.principalId");

        List<String> listedForB = tenantB(tenant)
                .queryParam("api-version", V2025)
                .get("/api/subscriptions/" + ownOfB.subscription + "/providers/Microsoft.DataBox/jobs")
                .then()
                .statusCode(200)
                .extract()
                .path("value.name");
        assertThat(listedForB).containsExactly(name);
        // Tenant A does not see B's subscription; its own job of the same name is another order.
        assertArmError(given().queryParam("api-version", V2025).get(ownOfB.jobPath(name)), 404, "SubscriptionNotFound");
        Response ownOfA = tenantA.get(name, null);
        ownOfA.then().statusCode(200);
        assertThat(ownOfA.<String>path("identity.principalId")).isNotEqualTo(principalOfB);
    }

    /**
     * A subscription's first job binds it to the caller's tenant, so it needs the caller's own
     * Microsoft.DataBox/jobs/write in the job's resource group, as ARM checks before a request reaches
     * the resource provider: before, any tenant could take a subscription it had no rights in by
     * creating (or only trying to create) a job there, and its owner could then create none.
     */
    @Test
    void aSubscriptionsFirstJobNeedsTheCallersOwnRightToCreateJobsThere() {
        String subscription = UUID.randomUUID().toString();
        String group = "rg-" + UUID.randomUUID().toString().substring(0, 8);
        String job = "/api/subscriptions/" + subscription + "/resourceGroups/" + group
                + "/providers/Microsoft.DataBox/jobs/";
        String squatter = UUID.randomUUID().toString();
        String tenant = UUID.randomUUID().toString();
        // Managed Identity Operator (the tests' default role elsewhere) grants no job there.
        ArmJobs.letTheServiceRead(subscription);
        EmulatorTestSupport.admin().assignRole(squatter, "/subscriptions/" + subscription, "Managed Identity Operator");

        Response refused = tenantB(tenant, squatter)
                .contentType(ContentType.JSON)
                .body(jobBody(Map.of("type", "SystemAssigned"), null))
                .queryParam("api-version", V2025)
                .put(job + ArmJobs.newName());
        assertArmError(refused, 403, "AuthorizationFailed");
        assertThat(refused.<String>path("error.message")).contains("Microsoft.DataBox/jobs/write");

        // A subscription whose role assignments the service may not read: the caller's right is unknown,
        // and the answer says what to give the service, not that the caller lacks the right.
        String unreadable = UUID.randomUUID().toString();
        EmulatorTestSupport.admin().assignRole(LocalStack.CALLER_OID, "/subscriptions/" + unreadable, "Contributor");
        Response unknown = ArmJobs.json(jobBody(Map.of("type", "SystemAssigned"), null))
                .queryParam("api-version", V2025)
                .put("/api/subscriptions/" + unreadable + "/resourceGroups/" + group
                        + "/providers/Microsoft.DataBox/jobs/" + ArmJobs.newName());
        assertArmError(unknown, 403, "AuthorizationFailed");
        assertThat(unknown.<String>path("error.message")).contains("could not read the role assignments");

        // The subscription was not taken: a caller holding the right there creates its first job.
        ArmJobs.grantJobs(LocalStack.CALLER_OID, subscription);
        String name = ArmJobs.newName();
        ArmJobs.json(jobBody(Map.of("type", "SystemAssigned"), null))
                .queryParam("api-version", V2025)
                .put(job + name)
                .then()
                .statusCode(200)
                .body("name", org.hamcrest.Matchers.equalTo(name));
    }
}
