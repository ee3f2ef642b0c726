package com.databox.cmk.testing;

import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What the app enforces per operation: the {@code @RolesAllowed} of the resource method with that operationId. */
public final class ResourceRoles {
    private static final List<String> RESOURCES = List.of(
            "com.databox.cmk.api.OrdersResource",
            "com.databox.cmk.api.EncryptionResource",
            "com.databox.cmk.api.AuditsResource");

    private ResourceRoles() {}

    /** operationId (the function name) → the roles its resource method allows. */
    public static Map<String, Set<String>> byOperationId() {
        Map<String, Set<String>> roles = new TreeMap<>();
        for (String resource : RESOURCES) {
            Class<?> type;
            try {
                type = Class.forName(resource);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            for (Method method : type.getDeclaredMethods()) {
                Operation operation = method.getAnnotation(Operation.class);
                if (operation == null) {
                    continue;
                }
                RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
                if (allowed == null) {
                    throw new AssertionError(method + " has an operationId but no @RolesAllowed");
                }
                if (roles.put(operation.operationId(), new TreeSet<>(List.of(allowed.value()))) != null) {
                    throw new AssertionError("Two resource methods have operationId " + operation.operationId());
                }
            }
        }
        return roles;
    }
}
