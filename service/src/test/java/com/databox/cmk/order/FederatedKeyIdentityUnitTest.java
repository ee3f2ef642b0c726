package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of a key reached in another tenant through a federated application (issue 12, item 8). */
class FederatedKeyIdentityUnitTest {
    private static final String APP = "6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab";
    private static final String TARGET = "identityProperties.federatedIdentityClientId";
    private static final UserAssignedIdentityId UAI = new UserAssignedIdentityId("/subscriptions/"
            + "d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg/providers/Microsoft.ManagedIdentity/"
            + "userAssignedIdentities/uai-1");
    private static final KeyUrl KEY =
            KeyUrl.parse("https://contoso.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef");

    @Test
    void aFederatedClientIdIsAGuidKeptInLowerCase() {
        assertThat(FederatedClientId.parseOptional(null, TARGET)).isNull();
        assertThat(FederatedClientId.parseOptional(APP.toUpperCase(Locale.ROOT), TARGET)
                        .value())
                .isEqualTo(APP);
        for (String bad : new String[] {"", "my-app", APP + "0", "{" + APP + "}", APP.replace('-', '_')}) {
            assertThatThrownBy(() -> FederatedClientId.parseOptional(bad, TARGET))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest);
                        assertThat(e.target()).isEqualTo(TARGET);
                        assertThat(e.getMessage()).contains("GUID");
                    });
        }
    }

    @Test
    void onlyAUserAssignedIdentityCarriesAFederatedClientId() {
        assertThat(KeyIdentity.systemAssigned(null, TARGET)).isEqualTo(KeyIdentity.SYSTEM_ASSIGNED);
        assertThatThrownBy(() -> KeyIdentity.systemAssigned(new FederatedClientId(APP), TARGET))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest);
                    assertThat(e.target()).isEqualTo(TARGET);
                });
        KeyIdentity.UserAssigned federated =
                (KeyIdentity.UserAssigned) KeyIdentity.userAssigned(UAI, new FederatedClientId(APP));
        assertThat(federated.federated()).isTrue();
        assertThat(new KeyIdentity.UserAssigned(UAI).federated()).isFalse();
        assertThat(federated).isNotEqualTo(KeyIdentity.userAssigned(UAI));
    }

    @Test
    void theKeyIsReachedAsTheApplicationAssertedByTheOrdersIdentity() {
        Order order = order(KeyIdentity.userAssigned(UAI, new FederatedClientId(APP)));
        WrappingIdentity expected =
                new WrappingIdentity.FederatedApplication(new WrappingIdentity.ManagedIdentity(UAI), APP);
        assertThat(order.currentWrappingIdentity().orElseThrow()).isEqualTo(expected);
        assertThat(order.wrappingIdentityFor(KeyIdentity.userAssigned(UAI, new FederatedClientId(APP)))
                        .orElseThrow())
                .isEqualTo(expected);
        assertThat(order.wrappingIdentityFor(KeyIdentity.userAssigned(UAI)).orElseThrow())
                .isEqualTo(new WrappingIdentity.ManagedIdentity(UAI));
        // Separate credentials and clients: the application's token is never the identity's own.
        assertThat(expected.key()).isNotEqualTo(new WrappingIdentity.ManagedIdentity(UAI).key());
        assertThat(Order.describe(order.protection())).contains("via application " + APP);
    }

    @Test
    void changeKeyKeepsTheApplication() {
        Order order = order(KeyIdentity.userAssigned(UAI, new FederatedClientId(APP)));
        KeyEncryptionKeyRequest change = order.keyChange(
                        RequestedKeyUrl.read(
                                "https://contoso.vault.azure.net/keys/kek/fedcba9876543210fedcba9876543210"),
                        false,
                        null)
                .orElseThrow();
        assertThat(change.identity()).isEqualTo(KeyIdentity.userAssigned(UAI, new FederatedClientId(APP)));
    }

    private static Order order(KeyIdentity keyIdentity) {
        return Order.draft(
                        new OrderRef(InMemoryStack.TENANT, new OrderName("order-1")),
                        "westus",
                        new OrderIdentity(null, Map.of(UAI, new UserAssignedIdentity(UAI, "principal", "client", "t"))),
                        Instant.parse("2026-11-30T00:00:00Z"))
                .withProtection(
                        new KeyProtection.CustomerManaged(KEY, null, keyIdentity, false),
                        new WrappedUnlockKey(KEY, "RSA-OAEP-256", new byte[8]));
    }
}
