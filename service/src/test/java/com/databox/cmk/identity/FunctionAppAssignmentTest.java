package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.emulator.EmulatorOptions;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * As on Azure, the platform's identity endpoint mints tokens only for identities assigned to the
 * function app: an emulator of its own with assignment tracking on.
 */
class FunctionAppAssignmentTest {
    private static final String VAULT = "https://vault.azure.net";
    private static final Vertx VERTX = Vertx.vertx();
    private static final KeyVaultEmulator EMULATOR =
            KeyVaultEmulator.start(EmulatorOptions.defaults().withAssignmentTracking());

    private final ArmIdentityDirectory directory = new ArmIdentityDirectory(
            new ArmSettings(
                    URI.create(EMULATOR.armUrl()),
                    EMULATOR.subscriptionId(),
                    EMULATOR.resourceGroup(),
                    EMULATOR.location(),
                    EMULATOR.functionAppResourceId(),
                    1,
                    Duration.ofMillis(50),
                    CmkDefaults.maxWaitingRequests(),
                    Duration.ofSeconds(30)),
            IdentityEndpointToken.appCredential(EMULATOR.identityEndpoint(), EMULATOR.identityHeader()),
            new VertxHttpClientBuilder()
                    .vertx(VERTX)
                    .httpClientOptions(new HttpClientOptions()
                            .setTrustOptions(new PemTrustOptions()
                                    .addCertPath(EMULATOR.caCertificatePemPath().toString())))
                    .build());

    @AfterAll
    static void stop() {
        EMULATOR.close();
        VERTX.close();
    }

    @Test
    void anOrderIdentityGetsTokensWhileAssignedToTheFunctionApp() {
        SystemAssignedIdentity identity = directory.createSystemAssigned(new OrderName("order-assigned"));
        assertThat(tokenStatus(identity.resourceId().value())).isEqualTo(200);

        directory.deleteSystemAssigned(identity);
        assertThat(tokenStatus(identity.resourceId().value())).isEqualTo(400);
    }

    @Test
    void anIdentityNotAssignedToTheFunctionAppGetsNoToken() {
        IdentityInfo notAssigned = EMULATOR.createIdentity("uai-not-assigned", null);

        assertThat(tokenStatus(notAssigned.resourceId())).isEqualTo(400);
        assertThat(directory.findUserAssigned(new UserAssignedIdentityId(notAssigned.resourceId())))
                .isPresent();
    }

    @Test
    void theAppsAssignmentsAreListedAndChangedOneByOne() {
        UserAssignedIdentityId first = new UserAssignedIdentityId(
                EMULATOR.createIdentity("uai-listed-1", null).resourceId());
        UserAssignedIdentityId second = new UserAssignedIdentityId(
                EMULATOR.createIdentity("uai-listed-2", null).resourceId());
        directory.assign(first);
        directory.assign(second);
        assertThat(directory.assigned()).contains(first, second);

        directory.unassign(first);

        assertThat(directory.assigned()).contains(second).doesNotContain(first);
        assertThat(tokenStatus(first.value())).isEqualTo(400);
        assertThat(tokenStatus(second.value())).isEqualTo(200);
    }

    @Test
    void anIdentityTheServiceMadeIsDeletedOnceAndAgainHarmlessly() {
        SystemAssignedIdentity identity = directory.createSystemAssigned(new OrderName("order-swept"));
        UserAssignedIdentityId id = identity.resourceId();

        directory.unassign(id);
        directory.delete(id);
        directory.delete(id);

        assertThat(directory.findUserAssigned(identity.resourceId())).isEmpty();
        assertThat(directory.assigned()).doesNotContain(id);
    }

    private static int tokenStatus(String resourceId) {
        return IdentityEndpointToken.ask(EMULATOR.identityEndpoint(), EMULATOR.identityHeader(), VAULT, resourceId)
                .statusCode();
    }
}
