package com.databox.cmk.unlockkey;

/**
 * Whose token is used to reach a key: the service's own identity, a managed identity by resource ID,
 * or a multi-tenant application that trusts a managed identity (a key in another tenant).
 */
public sealed interface WrappingIdentity {
    record ServiceIdentity() implements WrappingIdentity {
        @Override
        public String key() {
            return "service";
        }
    }

    /**
     * @param systemAssigned the order's system-assigned identity (it answers other error codes than a
     *     user-assigned one when it fails: ERRORS.md)
     * @param shownAs how messages name it: a customer's identity by its resource ID; an order's
     *     system-assigned one never by the resource ID of the identity that backs it (issue 12)
     */
    record ManagedIdentity(UserAssignedIdentityId resourceId, boolean systemAssigned, String shownAs)
            implements WrappingIdentity {
        /** A user-assigned identity. */
        public ManagedIdentity(UserAssignedIdentityId resourceId) {
            this(resourceId, false);
        }

        public ManagedIdentity(UserAssignedIdentityId resourceId, boolean systemAssigned) {
            this(
                    resourceId,
                    systemAssigned,
                    systemAssigned ? "the order's system-assigned identity" : "the identity " + resourceId);
        }

        /** ARM resource IDs are case-insensitive. */
        @Override
        public String key() {
            return resourceId.value().toLowerCase(java.util.Locale.ROOT);
        }

        /** The same identity however it is shown. */
        @Override
        public boolean equals(Object other) {
            return other instanceof ManagedIdentity m && key().equals(m.key());
        }

        @Override
        public int hashCode() {
            return key().hashCode();
        }
    }

    /**
     * The service principal, in the key vault's tenant, of the multi-tenant application {@code clientId},
     * reached with a client assertion: {@code assertedBy}'s token for Entra ID's token exchange, which a
     * federated identity credential of the application trusts (issue 12, item 8).
     */
    record FederatedApplication(ManagedIdentity assertedBy, String clientId) implements WrappingIdentity {
        @Override
        public String key() {
            return assertedBy.key() + "|app:" + clientId.toLowerCase(java.util.Locale.ROOT);
        }

        /** How messages name it: the application and the identity it trusts. */
        public String shownAs() {
            return "the application " + clientId + " (federated with " + assertedBy.shownAs() + ")";
        }
    }

    /** A stable key for caches per identity. */
    String key();

    WrappingIdentity SERVICE = new ServiceIdentity();
}
