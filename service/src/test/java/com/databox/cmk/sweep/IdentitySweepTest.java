package com.databox.cmk.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.identity.ArmIdentityDirectory;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Orders;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.FunctionsHost;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The {@code identity-sweep} timer end to end: the app's own ARM client against the emulator's
 * ARM, orders in Azurite. The test profile sweeps at once ({@code settle} and the finished orders'
 * retention are zero).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class IdentitySweepTest {
    @Inject
    ArmIdentityDirectory arm;

    @Inject
    Orders orders;

    @Test
    void anIdentityNoOrderHoldsIsUnassignedWhileTheOrdersKeepTheirsAndWork() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder keeper = CmkOrder.create().enableUserAssigned(vault);
        IdentityInfo released = CustomerKeyVault.newIdentity();
        CmkOrder mover = CmkOrder.create().attach(released);
        assertThat(arm.assigned()).contains(id(released));
        mover.patchIdentity("{\"type\":\"None\"}").then().statusCode(200);

        JsonPath report = sweep();

        assertThat(report.getInt("unassigned")).isPositive();
        assertThat(arm.assigned()).doesNotContain(id(released)).contains(id(vault.identity()));
        assertThat(arm.findUserAssigned(id(released)))
                .as("a customer's identity is un-assigned, never deleted")
                .isPresent();
        keeper.validate().then().statusCode(200);
        keeper.assertPasswordKept();
    }

    @Test
    void anIdentityAnOrderHoldsIsAssignedAgainWhateverUnassignedIt() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        arm.unassign(id(vault.identity()));

        JsonPath report = sweep();

        assertThat(report.getInt("reassigned")).isPositive();
        assertThat(arm.assigned()).contains(id(vault.identity()));
        order.assertPasswordKept();
    }

    @Test
    void anIdentityItsOwnerDeletedIsReportedWhileTheOthersAreStillAssigned() {
        IdentityInfo deleted = CustomerKeyVault.newIdentity();
        CmkOrder.create().attach(deleted);
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder.create().enableUserAssigned(vault);
        arm.unassign(id(deleted));
        arm.unassign(id(vault.identity()));
        CustomerKeyVault.admin().deleteIdentity(deleted.name());

        JsonPath report = sweep();

        assertThat(report.getInt("missing")).isPositive();
        assertThat(arm.assigned()).contains(id(vault.identity()));
    }

    @Test
    void theIdentityTheServiceMadeForAFinishedOrderIsDeleted() {
        CmkOrder order = CmkOrder.create();
        order.attachSystemAssigned();
        UserAssignedIdentityId backing = orders.find(new OrderRef(LocalStack.tenant(), new OrderName(order.name())))
                .orElseThrow()
                .identity()
                .systemAssigned()
                .resourceId();
        assertThat(arm.findUserAssigned(backing)).isPresent();
        order.moveTo("Cancelled").then().statusCode(200);

        JsonPath report = sweep();

        assertThat(report.getInt("deleted")).isPositive();
        assertThat(arm.findUserAssigned(backing)).isEmpty();
        assertThat(arm.assigned()).doesNotContain(backing);
    }

    private static JsonPath sweep() {
        return FunctionsHost.fireTimer("identity-sweep")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .setRootPath("ReturnValue");
    }

    private static UserAssignedIdentityId id(IdentityInfo identity) {
        return new UserAssignedIdentityId(identity.resourceId());
    }
}
