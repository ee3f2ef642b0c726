package com.databox.cmk.security;

import static com.databox.cmk.testing.CmkOrder.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.entra.TokenIssuer;
import com.databox.cmk.emulator.identity.ApplicationInfo;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.FederatedKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.SeenSecrets;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 8, over HTTP against Azurite and the emulator: a key in the customer's own tenant (B),
 * reached as Azure Storage's cross-tenant customer-managed keys reach it. The order's user-assigned
 * identity lives in the service's tenant (the emulator's default tenant, where the suite's default caller
 * may assign it); a multi-tenant application registered there trusts it through a federated identity
 * credential; the customer consents to the application in tenant B and grants its service principal Get,
 * WrapKey and UnwrapKey on the key.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class CrossTenantKeyTest {
    private static final String[] KEY_PERMISSIONS = CustomerKeyVault.ALL_KEY_PERMISSIONS;

    @Test
    void aKeyOfTenantBIsEnabledChangedValidatedRevealedAndRevertedThroughTheFederatedApplication() {
        FederatedKeyVault setup = FederatedKeyVault.create();
        CmkOrder order = CmkOrder.create();
        order.attach(setup.identity());
        String principal = setup.consentAndGrant(KEY_PERMISSIONS);
        assertThat(principal).isNotEqualTo(setup.identity().principalId());

        Response enabled = order.enable(setup.enableBody(setup.federated()));
        enabled.then().statusCode(200);
        assertThat(enabled.<String>path("keyEncryptionKey.kekUrl"))
                .isEqualTo(setup.vault().keyUrl());
        assertThat(enabled.<String>path("keyEncryptionKey.identityProperties.type"))
                .isEqualTo("UserAssigned");
        assertThat(enabled.<String>path("keyEncryptionKey.identityProperties.userAssigned.resourceId"))
                .isEqualTo(setup.identity().resourceId());
        assertThat(enabled.<String>path("keyEncryptionKey.identityProperties.federatedIdentityClientId"))
                .isEqualTo(setup.application().appId());
        assertThat(enabled.<String>path("keyHealth.status")).isEqualTo("Healthy");
        assertThat(order.storedWrappedKeyId()).isEqualTo(setup.vault().keyUrl());
        order.assertPasswordKept();

        String next = setup.vault().newVersion();
        Response changed = order.changeKey(next, null);
        changed.then().statusCode(200);
        assertThat(changed.<String>path("keyEncryptionKey.kekUrl")).isEqualTo(next);
        assertThat(changed.<String>path("keyEncryptionKey.identityProperties.federatedIdentityClientId"))
                .as("change key keeps the application")
                .isEqualTo(setup.application().appId());
        assertThat(order.storedWrappedKeyId()).isEqualTo(next);

        Response report = order.validate();
        report.then().statusCode(200);
        assertThat(report.<Boolean>path("valid")).as(report.asString()).isTrue();
        Response proposal = order.validate(setup.enableBody(setup.federated()));
        assertThat(proposal.<Boolean>path("valid")).as(proposal.asString()).isTrue();
        order.assertPasswordKept();

        Response again = order.changeIdentity(setup.federated());
        again.then().statusCode(200);
        assertThat(again.<String>path("keyEncryptionKey.identityProperties.federatedIdentityClientId"))
                .isEqualTo(setup.application().appId());
        order.assertPasswordKept();

        Response reverted = order.useMicrosoftKey();
        reverted.then().statusCode(200);
        assertThat(reverted.<String>path("keyEncryptionKey.kekType")).isEqualTo("MicrosoftManaged");
        assertThat(order.storedWrappedKeyId()).startsWith(LocalStack.microsoftKeyUrl() + "/");
        order.assertPasswordKept();
    }

    /**
     * Consent withdrawn in tenant B: the application's token already issued stays valid until it expires
     * (SECURITY.md), and every call meanwhile gets the same answer. The Key Vault clients are pooled, and a
     * client made for a burst of calls asked for a token of its own, which Entra ID now refused: of eight
     * validates at once, one passed and seven failed, and the stored key health flipped from call to call.
     */
    @Test
    void afterConsentIsWithdrawnCallsAtOnceAllAgreeUntilTheTokenExpires() throws Exception {
        FederatedKeyVault setup = FederatedKeyVault.create();
        CmkOrder order = CmkOrder.create();
        order.attach(setup.identity());
        setup.consentAndGrant(KEY_PERMISSIONS);
        order.enable(setup.enableBody(setup.federated())).then().statusCode(200);
        CustomerKeyVault.admin().withdrawApplicationConsent(setup.application().name(), setup.tenantB());

        ExecutorService calls = Executors.newFixedThreadPool(8);
        try {
            for (int round = 1; round <= 3; round++) {
                List<Future<Response>> reports = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    reports.add(calls.submit(() -> order.validate()));
                }
                for (Future<Response> report : reports) {
                    Response answer = report.get(60, TimeUnit.SECONDS);
                    assertThat(answer.<Boolean>path("valid"))
                            .as("round %d: %s", round, answer.asString())
                            .isTrue();
                }
            }
        } finally {
            calls.shutdownNow();
        }
        assertThat(order.get().<String>path("keyHealth.status")).isEqualTo("Healthy");
        order.assertPasswordKept();
    }

    @Test
    void withoutTheFederatedApplicationAKeyOfAnotherTenantIsCrossTenantAndNothingChanges() {
        FederatedKeyVault setup = FederatedKeyVault.create();
        CmkOrder order = CmkOrder.create();
        order.attach(setup.identity());
        CmkOrder.Snapshot before = order.snapshot();

        Response direct = order.enable(
                setup.enableBody(CmkOrder.userAssigned(setup.identity().resourceId())));
        assertError(direct, 400, "SsemUserErrorCrossTenantIdentityAccessForbidden", "another tenant");
        assertThat(direct.<String>path("error.resolution")).contains("federatedIdentityClientId");
        order.assertUnchangedSince(before);

        // The application has no service principal in tenant B yet: nobody there consented to it.
        long errorsLogged = SeenSecrets.errorLinesLogged();
        Response notConsented = order.enable(setup.enableBody(setup.federated()));
        // The caller's mistake is the caller's answer: the SDKs logged it as errors, with stack traces.
        assertThat(SeenSecrets.errorLinesLogged())
                .as("ERROR lines in the app's log")
                .isEqualTo(errorsLogged);
        assertError(
                notConsented,
                400,
                "SsemUserErrorCrossTenantIdentityAccessForbidden",
                setup.application().appId(),
                setup.tenantB());
        assertThat(notConsented.<String>path("error.target")).isEqualTo("identityProperties.federatedIdentityClientId");
        assertThat(notConsented.<String>path("error.resolution")).contains("consent");
        Response report = order.validate(setup.enableBody(setup.federated()));
        report.then().statusCode(200);
        assertThat(report.<Boolean>path("valid")).isFalse();
        assertThat(CmkOrder.firstFailedCode(report)).isEqualTo("SsemUserErrorCrossTenantIdentityAccessForbidden");
        order.assertUnchangedSince(before);

        // Consented but not granted: the vault refuses the service principal like any identity without access.
        setup.consentAndGrant();
        assertError(
                order.enable(setup.enableBody(setup.federated())),
                400,
                "SsemUserErrorKeyVaultBadRequestException",
                setup.application().appId());
        order.assertUnchangedSince(before);

        // An application that does not trust the order's identity: Entra ID refuses the assertion.
        ApplicationInfo stranger = CustomerKeyVault.admin()
                .createApplication(
                        CustomerKeyVault.randomName("app"),
                        CustomerKeyVault.defaultTenantId(),
                        TokenIssuer.issuer(CustomerKeyVault.defaultTenantId()),
                        UUID.randomUUID().toString());
        CustomerKeyVault.admin().consentApplication(stranger.name(), setup.tenantB());
        assertError(
                order.enable(
                        setup.enableBody(CmkOrder.userAssigned(setup.identity().resourceId(), stranger.appId()))),
                400,
                "SsemUserErrorCrossTenantIdentityAccessForbidden",
                stranger.appId());
        order.assertUnchangedSince(before);
    }

    /**
     * The client ID of another managed identity, one with access to the key, named as the application: its
     * token is not the service's to get, so the key is not reached and nothing changes. On the local stack the
     * emulator gave that identity's token, and an order of any tenant reached the key as it (bug bash of
     * 2026-12-06, security F4).
     */
    @Test
    void anotherManagedIdentityNamedAsTheApplicationGivesNoAccessThroughIt() {
        IdentityInfo granted = CustomerKeyVault.newIdentity();
        CustomerKeyVault vault = CustomerKeyVault.create(granted);
        IdentityInfo attached = CustomerKeyVault.newIdentity();
        CmkOrder order = CmkOrder.create();
        order.attach(attached);
        CmkOrder.Snapshot before = order.snapshot();

        assertError(
                order.enable(CmkOrder.enableBody(
                        vault.keyUrl(),
                        vault.resourceId(),
                        CmkOrder.userAssigned(attached.resourceId(), granted.clientId()))),
                400,
                "SsemUserErrorCrossTenantIdentityAccessForbidden",
                granted.clientId());
        order.assertUnchangedSince(before);
    }

    @Test
    void leavingTheApplicationOutOfAChangeOfIdentityIsRefusedAndChangesNothing() {
        FederatedKeyVault setup = FederatedKeyVault.create();
        CmkOrder order = CmkOrder.create();
        order.attach(setup.identity());
        setup.consentAndGrant(KEY_PERMISSIONS);
        order.enable(setup.enableBody(setup.federated())).then().statusCode(200);
        CmkOrder.Snapshot before = order.snapshot();

        assertError(
                order.changeIdentity(CmkOrder.userAssigned(setup.identity().resourceId())),
                400,
                "SsemUserErrorCrossTenantIdentityAccessForbidden");
        order.assertUnchangedSince(before);
    }

    @Test
    void aFederatedClientIdIsAGuidAndGoesWithAUserAssignedIdentityOnly() {
        FederatedKeyVault setup = FederatedKeyVault.create();
        CmkOrder order = CmkOrder.create();
        order.attachSystemAndUserAssigned(setup.identity());
        CmkOrder.Snapshot before = order.snapshot();
        Map<String, Object> system = Map.of(
                "type",
                "SystemAssigned",
                "federatedIdentityClientId",
                setup.application().appId());
        Response refused = order.enable(setup.enableBody(system));
        assertError(refused, 400, "InvalidRequest", "user-assigned");
        assertThat(refused.<String>path("error.target")).isEqualTo("identityProperties.federatedIdentityClientId");
        Response notAGuid = order.enable(
                setup.enableBody(CmkOrder.userAssigned(setup.identity().resourceId(), "my-app")));
        assertError(notAGuid, 400, "InvalidRequest", "GUID");
        assertError(order.changeIdentity(system), 400, "InvalidRequest", "user-assigned");
        assertError(order.validate(setup.enableBody(system)), 400, "InvalidRequest", "user-assigned");
        order.assertUnchangedSince(before);
    }
}
