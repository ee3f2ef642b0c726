package com.databox.cmk.order;

import com.databox.cmk.error.ServiceException;
import java.util.Locale;

/**
 * The client (application) ID of a multi-tenant Entra ID application that trusts the order's
 * user-assigned identity through a federated identity credential ({@code federatedIdentityClientId},
 * as Azure Storage names it for cross-tenant customer-managed keys). Its service principal in the key
 * vault's tenant is what the vault grants; the service reaches it by exchanging the identity's token
 * (issue 12, item 8). A GUID, kept in lower case.
 */
public record FederatedClientId(String value) {

    public FederatedClientId {
        if (!TenantId.isWellFormed(value)) {
            throw new IllegalArgumentException("Not an application (client) ID");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /** Optional: null stays null; when given it must be a GUID. */
    public static FederatedClientId parseOptional(String text, String target) {
        if (text == null) {
            return null;
        }
        if (!TenantId.isWellFormed(text)) {
            throw ServiceException.invalidRequest(
                    "'federatedIdentityClientId' must be the client (application) ID of a multi-tenant "
                            + "application, a GUID such as 00000000-0000-0000-0000-000000000000.",
                    target);
        }
        return new FederatedClientId(text);
    }

    @Override
    public String toString() {
        return value;
    }
}
