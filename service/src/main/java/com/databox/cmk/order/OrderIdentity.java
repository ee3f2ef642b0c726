package com.databox.cmk.order;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

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

    /** The user-assigned identities' resource IDs (the stored keys are checked where they entered). */
    public Set<UserAssignedIdentityId> userAssignedIds() {
        return userAssigned.keySet().stream()
                .filter(UserAssignedIdentityId::isWellFormed)
                .map(UserAssignedIdentityId::new)
                .collect(Collectors.toSet());
    }

    /** The managed identity the service made to back the system-assigned identity, if there is one. */
    public Optional<UserAssignedIdentityId> serviceCreatedId() {
        return Optional.ofNullable(systemAssigned)
                .map(SystemAssignedIdentity::resourceId)
                .filter(UserAssignedIdentityId::isWellFormed)
                .map(UserAssignedIdentityId::new);
    }
}
