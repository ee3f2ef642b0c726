package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.api.OrderRequests.IdentityPropertiesBody;
import com.databox.cmk.api.OrderRequests.KeyEncryptionKeyBody;
import com.databox.cmk.api.OrderRequests.UserAssignedRefBody;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.KeyIdentity;
import org.junit.jupiter.api.Test;

class OrderRequestsUnitTest {
    private static final String KEY = "https://vault-1.vault.azure.net/keys/key-1";
    private static final String UAI = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
            + "Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

    /** As identity.type, stage and the jobs surface read theirs (since 2026-12-06: exact case only). */
    @Test
    void readsKekTypeAndIdentityPropertiesTypeInAnyCase() {
        assertThat(new KeyEncryptionKeyBody("microsoftmanaged", null, null, null).toRequest())
                .isNull();
        KeyEncryptionKeyBody system = new KeyEncryptionKeyBody(
                "CUSTOMERMANAGED", KEY, null, new IdentityPropertiesBody("systemassigned", null, null));
        assertThat(system.namesCustomerManagedKey()).isTrue();
        assertThat(system.toRequest().identity()).isInstanceOf(KeyIdentity.SystemAssigned.class);
        KeyEncryptionKeyBody user = new KeyEncryptionKeyBody(
                "customerManaged",
                KEY,
                null,
                new IdentityPropertiesBody("USERASSIGNED", new UserAssignedRefBody(UAI), null));
        assertThat(user.toRequest().identity()).isInstanceOf(KeyIdentity.UserAssigned.class);

        assertThatThrownBy(() -> new KeyEncryptionKeyBody("Customer", KEY, null, null).toRequest())
                .isInstanceOf(ServiceException.class);
        assertThatThrownBy(() -> new KeyEncryptionKeyBody(
                                "CustomerManaged", KEY, null, new IdentityPropertiesBody("System", null, null))
                        .toRequest())
                .isInstanceOf(ServiceException.class);
    }
}
