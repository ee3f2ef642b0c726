package com.databox.cmk.order;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The types an ARM {@code identity.type} names: {@code None}, {@code SystemAssigned}, {@code UserAssigned}
 * or both ({@code "SystemAssigned,UserAssigned"}), in any case and with spaces around the comma, as ARM
 * takes them.
 */
public record IdentityTypes(boolean systemAssigned, boolean userAssigned) {
    /** What a refusal says the type may be. */
    public static final String ALLOWED = "None, SystemAssigned, UserAssigned or SystemAssigned,UserAssigned";

    /**
     * @return the types, or empty when {@code type} is not one of {@link #ALLOWED}: a type named twice
     *     ({@code "SystemAssigned,SystemAssigned"}) or white space around the whole value is not (since
     *     2026-12-06: both were taken)
     */
    public static Optional<IdentityTypes> parse(String type) {
        if (!type.strip().equals(type)) {
            return Optional.empty();
        }
        Set<String> types = new HashSet<>();
        for (String part : type.split(",", -1)) {
            if (!types.add(part.trim().toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
        }
        boolean none = types.equals(Set.of("none"));
        boolean system = types.remove("systemassigned");
        boolean user = types.remove("userassigned");
        if (!none && !types.isEmpty() || none && (system || user)) {
            return Optional.empty();
        }
        return Optional.of(new IdentityTypes(system, user));
    }
}
