package com.databox.cmk.order;

/**
 * Which of the order's identities reaches the customer's key ({@code identityProperties}):
 * the system-assigned one, or one of its user-assigned ones.
 */
public sealed interface KeyIdentity {
    KeyIdentity SYSTEM_ASSIGNED = new SystemAssigned();

    record SystemAssigned() implements KeyIdentity {
        @Override
        public String type() {
            return "SystemAssigned";
        }
    }

    record UserAssigned(UserAssignedIdentityId id) implements KeyIdentity {
        @Override
        public String type() {
            return "UserAssigned";
        }
    }

    static KeyIdentity userAssigned(UserAssignedIdentityId id) {
        return new UserAssigned(id);
    }

    /** {@code SystemAssigned} or {@code UserAssigned}, as {@code identityProperties.type} says it. */
    String type();
}
