package com.databox.cmk.emulator.arm;

import com.databox.cmk.emulator.http.Json;
import com.databox.cmk.emulator.identity.Directory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Azure RBAC, as far as the service asks it: role assignments (principal, scope, role) and the
 * built-in role definitions that matter for managed identities. ARM answers
 * {@code GET {scope}/providers/Microsoft.Authorization/roleAssignments?$filter=assignedTo('{oid}')}
 * with the assignments at or above the scope, and {@code GET …/roleDefinitions/{id}} with a role's
 * actions and notActions; the admin API adds and removes assignments.
 */
public final class RoleAssignments {
    /** A built-in role: its ID (a GUID, as in Azure), name, actions and notActions. */
    public record Role(String id, String name, List<String> actions, List<String> notActions) {}

    public record Assignment(String name, String principalId, String scope, String roleId) {}

    public static final List<Role> BUILT_IN = List.of(
            new Role("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", List.of("*"), List.of()),
            new Role(
                    "b24988ac-6180-42a0-ab88-20f7382dd24c",
                    "Contributor",
                    List.of("*"),
                    List.of(
                            "Microsoft.Authorization/*/Delete",
                            "Microsoft.Authorization/*/Write",
                            "Microsoft.Authorization/elevateAccess/Action")),
            new Role("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", List.of("*/read"), List.of()),
            new Role(
                    "f1a07417-d97a-45cb-824c-7a7467783830",
                    "Managed Identity Operator",
                    List.of(
                            "Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
                            "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
                            "Microsoft.Authorization/*/read",
                            "Microsoft.Resources/subscriptions/resourceGroups/read"),
                    List.of()),
            new Role(
                    "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59",
                    "Managed Identity Contributor",
                    List.of(
                            "Microsoft.ManagedIdentity/userAssignedIdentities/read",
                            "Microsoft.ManagedIdentity/userAssignedIdentities/write",
                            "Microsoft.ManagedIdentity/userAssignedIdentities/delete",
                            "Microsoft.Authorization/*/read",
                            "Microsoft.Resources/subscriptions/resourceGroups/read"),
                    List.of()));

    private final Map<String, Assignment> assignments = new ConcurrentHashMap<>();
    /** Security groups: a group's object ID and its members' (users, service principals or groups). */
    private final Map<String, Set<String>> groups = new ConcurrentHashMap<>();

    public static Optional<Role> role(String idOrName) {
        return BUILT_IN.stream()
                .filter(r -> r.id().equalsIgnoreCase(idOrName)
                        || r.name().equalsIgnoreCase(idOrName)
                        || roleDefinitionId(r).equalsIgnoreCase(idOrName))
                .findFirst();
    }

    public static String roleDefinitionId(Role role) {
        return "/subscriptions/" + Directory.SUBSCRIPTION_ID + "/providers/Microsoft.Authorization/roleDefinitions/"
                + role.id();
    }

    public Assignment put(String name, String principalId, String scope, String role) {
        Role definition = role(role).orElseThrow(() -> new IllegalArgumentException("No built-in role '" + role + "'"));
        if (principalId == null || scope == null || !scope.startsWith("/subscriptions/")) {
            throw new IllegalArgumentException("A role assignment needs principalId and a /subscriptions/… scope");
        }
        Assignment assignment = new Assignment(name, principalId.toLowerCase(Locale.ROOT), scope, definition.id());
        assignments.put(name, assignment);
        return assignment;
    }

    public boolean delete(String name) {
        return assignments.remove(name) != null;
    }

    public List<Assignment> all() {
        return List.copyOf(assignments.values());
    }

    /** Makes or replaces a security group with these members. */
    public void putGroup(String groupId, Collection<String> members) {
        Set<String> lower = new HashSet<>();
        members.forEach(m -> lower.add(m.toLowerCase(Locale.ROOT)));
        groups.put(groupId.toLowerCase(Locale.ROOT), Set.copyOf(lower));
    }

    /** The principal and every group it is in, directly or through other groups. */
    private Set<String> withGroups(String principalId) {
        Set<String> principals = new HashSet<>(Set.of(principalId.toLowerCase(Locale.ROOT)));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Set<String>> group : groups.entrySet()) {
                if (!principals.contains(group.getKey())
                        && group.getValue().stream().anyMatch(principals::contains)) {
                    grew = principals.add(group.getKey());
                }
            }
        }
        return principals;
    }

    /**
     * The principal's assignments at {@code scope} or above it (a scope contains every resource below it),
     * including those of the groups it is in, as ARM's {@code assignedTo} filter lists them.
     */
    public List<Assignment> assignedTo(String principalId, String scope) {
        String resource = scope.toLowerCase(Locale.ROOT);
        Set<String> principals = principalId == null ? null : withGroups(principalId);
        return assignments.values().stream()
                .filter(a -> principals == null || principals.contains(a.principalId()))
                .filter(a -> {
                    String at = a.scope().toLowerCase(Locale.ROOT);
                    return resource.equals(at) || resource.startsWith(at.endsWith("/") ? at : at + "/");
                })
                .toList();
    }

    /** Whether {@code principalId} (or a group it is in) holds {@code action} at {@code scope} (wildcards as ARM's). */
    public boolean holds(String principalId, String scope, String action) {
        return principalId != null
                && assignedTo(principalId, scope).stream()
                        .map(a -> role(a.roleId()))
                        .flatMap(Optional::stream)
                        .anyMatch(r -> r.actions().stream().anyMatch(p -> matches(p, action))
                                && r.notActions().stream().noneMatch(p -> matches(p, action)));
    }

    private static boolean matches(String pattern, String action) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.toLowerCase(Locale.ROOT).split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(java.util.regex.Pattern.quote(part));
        }
        return action.toLowerCase(Locale.ROOT).matches(regex.toString());
    }

    public ObjectNode assignmentJson(Assignment a) {
        ObjectNode node = Json.object()
                .put("id", a.scope() + "/providers/Microsoft.Authorization/roleAssignments/" + a.name())
                .put("name", a.name())
                .put("type", "Microsoft.Authorization/roleAssignments");
        node.putObject("properties")
                .put("roleDefinitionId", roleDefinitionId(role(a.roleId()).orElseThrow()))
                .put("principalId", a.principalId())
                .put("principalType", groups.containsKey(a.principalId()) ? "Group" : "User")
                .put("scope", a.scope());
        return node;
    }

    public static ObjectNode roleJson(Role role) {
        ObjectNode node = Json.object()
                .put("id", roleDefinitionId(role))
                .put("name", role.id())
                .put("type", "Microsoft.Authorization/roleDefinitions");
        ObjectNode properties =
                node.putObject("properties").put("roleName", role.name()).put("type", "BuiltInRole");
        ObjectNode permission = properties.putArray("permissions").addObject();
        ArrayNode actions = permission.putArray("actions");
        role.actions().forEach(actions::add);
        ArrayNode notActions = permission.putArray("notActions");
        role.notActions().forEach(notActions::add);
        permission.putArray("dataActions");
        permission.putArray("notDataActions");
        return node;
    }
}
