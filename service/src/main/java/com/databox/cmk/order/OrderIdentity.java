package com.databox.cmk.order;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The order's managed identities, as the ARM {@code identity} property describes them. The user-assigned ones are
 * keyed by their resource ID, which compares case-insensitively as ARM's do; each key keeps the spelling it was
 * given, and they follow in the order of that spelling (how the answers list them).
 */
public record OrderIdentity(
        SystemAssignedIdentity systemAssigned, Map<UserAssignedIdentityId, UserAssignedIdentity> userAssigned) {
    /** Before {@link #NONE}, which the constructor makes with it. */
    private static final Comparator<UserAssignedIdentityId> BY_SPELLING =
            Comparator.comparing(UserAssignedIdentityId::value);

    public static final OrderIdentity NONE = new OrderIdentity(null, Map.of());

    public OrderIdentity {
        userAssigned = userAssigned == null ? Map.of() : inSpellingOrder(userAssigned);
    }

    private static Map<UserAssignedIdentityId, UserAssignedIdentity> inSpellingOrder(
            Map<UserAssignedIdentityId, UserAssignedIdentity> users) {
        Map<UserAssignedIdentityId, UserAssignedIdentity> ordered = new LinkedHashMap<>();
        users.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(BY_SPELLING))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(ordered);
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

    /** ARM resource IDs are case-insensitive, and so is the map's key. */
    public Optional<UserAssignedIdentity> findUserAssigned(UserAssignedIdentityId id) {
        return Optional.ofNullable(userAssigned.get(id));
    }

    /** The user-assigned identities' resource IDs. */
    public Set<UserAssignedIdentityId> userAssignedIds() {
        return userAssigned.keySet();
    }

    /** The managed identity the service made to back the system-assigned identity, if there is one. */
    public Optional<UserAssignedIdentityId> serviceCreatedId() {
        return Optional.ofNullable(systemAssigned).map(SystemAssignedIdentity::resourceId);
    }
}
