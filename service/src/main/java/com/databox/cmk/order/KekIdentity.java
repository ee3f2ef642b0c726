package com.databox.cmk.order;

/**
 * Which of the order's identities reaches the customer's key ({@code identityProperties}):
 * the system-assigned one, or the user-assigned one with this resource ID.
 */
public record KekIdentity(Type type, String userAssignedResourceId) {
    public enum Type { SystemAssigned, UserAssigned }

    public static KekIdentity systemAssigned() {
        return new KekIdentity(Type.SystemAssigned, null);
    }

    public static KekIdentity userAssigned(String resourceId) {
        return new KekIdentity(Type.UserAssigned, resourceId);
    }
}
