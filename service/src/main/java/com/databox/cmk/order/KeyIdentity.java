package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Optional;

/**
 * Which of the order's identities reaches the customer's key ({@code identityProperties}):
 * the system-assigned one, or one of its user-assigned ones, optionally through a multi-tenant
 * application that trusts it ({@code federatedIdentityClientId}, for a vault in another tenant).
 */
public sealed interface KeyIdentity {
    KeyIdentity SYSTEM_ASSIGNED = new SystemAssigned();

    record SystemAssigned() implements KeyIdentity {
        @Override
        public String type() {
            return "SystemAssigned";
        }
    }

    /**
     * @param federatedClientId the multi-tenant application whose service principal in the vault's
     *     tenant is granted the key; null when the identity itself is (the same tenant). Only a
     *     user-assigned identity can carry one: a federated identity credential must name its subject
     *     before it is used, and a system-assigned identity exists only with the order.
     */
    record UserAssigned(UserAssignedIdentityId id, FederatedClientId federatedClientId) implements KeyIdentity {
        public UserAssigned(UserAssignedIdentityId id) {
            this(id, null);
        }

        /** Reached in another tenant through the application's service principal there. */
        public boolean federated() {
            return federatedClientId != null;
        }

        @Override
        public String type() {
            return "UserAssigned";
        }

        /** The refusal of this identity once the directory no longer has it (deleted). */
        public ServiceException notInDirectory() {
            return new ServiceException(
                    ErrorCode.SsemUserErrorKekUserIdentityNotFound,
                    "The user-assigned identity " + id + " no longer exists in the directory.",
                    "identityProperties.userAssigned.resourceId");
        }

        /**
         * The directory's refusal of this identity for an order whose identities are {@code attached}: none when
         * the directory has it as the principal the order was given; the refusal of a deleted identity when the
         * directory has none, or one of another principal. An identity deleted and created again under its name
         * is another principal, which the order was never given, as on Azure: the old one's token, which an
         * instance may still hold for up to an hour, no longer reaches the key for it, and the new one is not
         * used until it is attached again (bug bash of 2026-12-06, several instances F2).
         */
        public Optional<ServiceException> refusedBy(
                Optional<UserAssignedIdentity> inDirectory, OrderIdentity attached) {
            if (inDirectory.isEmpty()) {
                return Optional.of(notInDirectory());
            }
            String given = attached.findUserAssigned(id)
                    .map(UserAssignedIdentity::principalId)
                    .orElse(null);
            String now = inDirectory.get().principalId();
            // Only two principal IDs can differ: a missing one (an answer without it) refuses nothing.
            // In either case: nothing promises the directory's lower case (review rv5 L3: an upper-case answer would
            // have refused nothing).
            if (!Guids.isGuidInAnyCase(given) || !Guids.isGuidInAnyCase(now) || given.equalsIgnoreCase(now)) {
                return Optional.empty();
            }
            return Optional.of(new ServiceException(
                    ErrorCode.SsemUserErrorKekUserIdentityNotFound,
                    "The user-assigned identity " + id + " the order was given (principal " + given
                            + ") was deleted; the identity of that name now is another principal (" + now
                            + "), which the order was not given. To use it, attach it again: with no key on it,"
                            + " detach it and attach it again (PATCH the order's identity), then grant it access;"
                            + " a key on it moves first to another identity of the order (change identity).",
                    "identityProperties.userAssigned.resourceId"));
        }
    }

    static KeyIdentity userAssigned(UserAssignedIdentityId id) {
        return new UserAssigned(id);
    }

    static KeyIdentity userAssigned(UserAssignedIdentityId id, FederatedClientId federatedClientId) {
        return new UserAssigned(id, federatedClientId);
    }

    /**
     * The system-assigned identity, refusing a federated client ID: a federated identity credential
     * names its subject before it is trusted, and the order's system-assigned identity is made (and
     * re-made) by the service, so only a user-assigned identity can be federated (as in Azure Storage).
     */
    static KeyIdentity systemAssigned(FederatedClientId federatedClientId, String target) {
        if (federatedClientId != null) {
            throw ServiceException.invalidRequest(
                    "'federatedIdentityClientId' is valid only with a user-assigned identity "
                            + "(identityProperties.type UserAssigned), not with SystemAssigned.",
                    target);
        }
        return SYSTEM_ASSIGNED;
    }

    /** {@code SystemAssigned} or {@code UserAssigned}, as {@code identityProperties.type} says it. */
    String type();
}
