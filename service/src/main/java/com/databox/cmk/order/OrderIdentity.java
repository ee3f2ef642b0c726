package com.databox.cmk.order;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The order's managed identities, as the ARM {@code identity} property describes them. */
public record OrderIdentity(SystemAssignedIdentity systemAssigned, Map<String, UserAssignedIdentity> userAssigned) {
    public static final OrderIdentity NONE = new OrderIdentity(null, Map.of());

    public OrderIdentity {
        userAssigned = userAssigned == null ? Map.of() : new TreeMap<>(userAssigned);
    }

    /** {@code None}, {@code SystemAssigned}, {@code UserAssigned} or {@code SystemAssigned,UserAssigned}. */
    public String type() {
        if (systemAssigned != null && !userAssigned.isEmpty()) {
            return "SystemAssigned,UserAssigned";
        }
        if (systemAssigned != null) {
            return "SystemAssigned";
        }
        return userAssigned.isEmpty() ? "None" : "UserAssigned";
    }

    /** ARM resource IDs are case-insensitive. */
    public Optional<UserAssignedIdentity> findUserAssigned(UserAssignedIdentityId id) {
        return userAssigned.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(id.value()))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
