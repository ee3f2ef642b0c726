package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.api.OrderRequests.IdentityPropertiesBody;
import com.databox.cmk.api.OrderRequests.KeyEncryptionKeyBody;
import com.databox.cmk.api.OrderRequests.UserAssignedRefBody;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderRequestsUnitTest {
    private static final String KEY = "https://vault-1.vault.azure.net/keys/key-1";
    private static final String UAI = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
            + "Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

    /** As identity.type, stage and the jobs surface read theirs (since 2026-12-06: exact case only). */
    @Test
    void readsKekTypeAndIdentityPropertiesTypeInAnyCase() {
        assertThat(new KeyEncryptionKeyBody("microsoftmanaged", null, null, null, null).toRequest())
                .isNull();
        KeyEncryptionKeyBody system = new KeyEncryptionKeyBody(
                "CUSTOMERMANAGED", KEY, null, new IdentityPropertiesBody("systemassigned", null, null), null);
        assertThat(system.namesCustomerManagedKey()).isTrue();
        assertThat(system.toRequest().identity()).isInstanceOf(KeyIdentity.SystemAssigned.class);
        KeyEncryptionKeyBody user = new KeyEncryptionKeyBody(
                "customerManaged",
                KEY,
                null,
                new IdentityPropertiesBody("USERASSIGNED", new UserAssignedRefBody(UAI), null),
                null);
        assertThat(user.toRequest().identity()).isInstanceOf(KeyIdentity.UserAssigned.class);

        assertThatThrownBy(() -> new KeyEncryptionKeyBody("Customer", KEY, null, null, null).toRequest())
                .isInstanceOf(ServiceException.class);
        assertThatThrownBy(() -> new KeyEncryptionKeyBody(
                                "CustomerManaged", KEY, null, new IdentityPropertiesBody("System", null, null), null)
                        .toRequest())
                .isInstanceOf(ServiceException.class);
    }

    /**
     * The answer's {@code autoRotation} may come back in a body copied from it (rv10 L1 of 2026-12-07: refused as an
     * unknown member), whether or not {@code kekUrl}
     * names a version, as an answer's does; only a versionless URL that is not to be followed is refused.
     */
    @Test
    void takesTheAnswersAutoRotationWhenItAgreesWithTheKeyUrl() {
        IdentityPropertiesBody system = new IdentityPropertiesBody("SystemAssigned", null, null);
        assertThat(new KeyEncryptionKeyBody("MicrosoftManaged", null, null, null, false).toRequest())
                .isNull();
        assertThat(new KeyEncryptionKeyBody("CustomerManaged", KEY, null, system, true)
                        .toRequest()
                        .kekUrl()
                        .asGiven())
                .isEqualTo(KEY);
        assertThat(new KeyEncryptionKeyBody("CustomerManaged", KEY + "/0123abcd", null, system, false)
                        .toRequest()
                        .kekUrl()
                        .asGiven())
                .isEqualTo(KEY + "/0123abcd");
        KeyEncryptionKeyRequest followed =
                new KeyEncryptionKeyBody("CustomerManaged", KEY + "/0123abcd", null, system, true).toRequest();
        assertThat(followed.kekUrl().asGiven()).isEqualTo(KEY + "/0123abcd");
        assertThat(followed.followsNewVersions())
                .as("a version and autoRotation, as an answer shows them: followed from that version")
                .isTrue();

        assertThatThrownBy(() -> new KeyEncryptionKeyBody("MicrosoftManaged", null, null, null, true).toRequest())
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.target()).isEqualTo("keyEncryptionKey.autoRotation"));
        assertThatThrownBy(() -> new KeyEncryptionKeyBody("CustomerManaged", KEY, null, system, false).toRequest())
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.target()).isEqualTo("keyEncryptionKey.autoRotation"));
    }

    /**
     * A body's key URL that is no key URL is read, not refused: its operation refuses it, and validate reports it as
     * a finding; {@code autoRotation: false} with it is no contradiction (only a versionless key URL's is).
     */
    @Test
    void aKeyUrlThatIsNoneIsReadForItsOperationToAnswer() {
        IdentityPropertiesBody system = new IdentityPropertiesBody("SystemAssigned", null, null);
        for (String notAKeyUrl : new String[] {"not a url", "http://contoso.vault.azure.net/keys/k"}) {
            KeyEncryptionKeyRequest created =
                    new KeyEncryptionKeyBody("CustomerManaged", notAKeyUrl, null, system, false).toRequest();
            KeyEncryptionKeyRequest proposed =
                    new EncryptionResource.EnableBody(notAKeyUrl, null, system, null, false).toRequest();
            for (KeyEncryptionKeyRequest request : List.of(created, proposed)) {
                assertThat(request.kekUrl().asGiven()).isEqualTo(notAKeyUrl);
                assertThat(request.kekUrl().isKeyUrl()).isFalse();
                assertThat(request.followsNewVersions()).isFalse();
            }
        }
        assertThatThrownBy(() -> new EncryptionResource.EnableBody(KEY, null, system, null, false).toRequest())
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.target()).isEqualTo("autoRotation"));
    }

    /**
     * A replacement reads its key to compare it with the order's; a customer-managed key it cannot read is none the
     * order has, and is told where keys change (target keyEncryptionKey), not what it lacks.
     */
    @Test
    void aReplacementsUnreadableCustomerManagedKeyIsSentToTheEncryptionRoutes() {
        IdentityPropertiesBody system = new IdentityPropertiesBody("SystemAssigned", null, null);
        assertThat(new KeyEncryptionKeyBody("CustomerManaged", KEY + "/0123abcd", null, system, true)
                        .toReplacementsRequest()
                        .followsNewVersions())
                .isTrue();
        for (KeyEncryptionKeyBody unreadable : new KeyEncryptionKeyBody[] {
            new KeyEncryptionKeyBody("CustomerManaged", null, null, null, null),
            new KeyEncryptionKeyBody("CustomerManaged", KEY, null, null, null),
            new KeyEncryptionKeyBody("customermanaged", KEY, null, system, false)
        }) {
            assertThatThrownBy(unreadable::toReplacementsRequest).isInstanceOfSatisfying(ServiceException.class, e -> {
                assertThat(e.target()).isEqualTo("keyEncryptionKey");
                assertThat(e.getMessage()).contains("only through the encryption routes");
            });
        }
        assertThatThrownBy(() ->
                        new KeyEncryptionKeyBody("MicrosoftManaged", KEY, null, null, null).toReplacementsRequest())
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.getMessage()).contains("takes no kekUrl"));
    }
}
