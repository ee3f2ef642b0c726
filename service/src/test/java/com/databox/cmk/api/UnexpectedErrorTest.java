package com.databox.cmk.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.audit.AuditReport;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A failure no mapping knows, an {@link Error} included, answers the contract's {@code 500 InternalError} in JSON:
 * an Error escaped to Quarkus' own handler, which answered its HTML page (bug bash bb95 M4).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class UnexpectedErrorTest {

    @Test
    void anErrorInARouteIsTheContractsInternalError() {
        QuarkusMock.installMockForType(
                new AuditService(null, null, null, null, null, null, CmkDefaults.audit(), Clock.systemUTC()) {
                    @Override
                    public AuditReport start(String trigger, TenantId tenant) {
                        throw new LinkageError("a class the SDK needs is missing");
                    }
                },
                AuditService.class);

        given().post("/api/audits")
                .then()
                .statusCode(500)
                .contentType(containsString("application/json"))
                .body("error.code", equalTo("InternalError"))
                .body(not(containsString("LinkageError")));
    }
}
