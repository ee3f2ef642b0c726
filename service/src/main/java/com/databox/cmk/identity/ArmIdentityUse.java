package com.databox.cmk.identity;

import com.azure.core.http.HttpMethod;
import com.databox.cmk.jobs.JobsAccess;
import com.databox.cmk.jobs.JobsAccess.Decision;
import com.databox.cmk.order.Caller;
import com.databox.cmk.order.IdentityUse;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The caller's own permission to assign a user-assigned identity, as ARM decides it for
 * {@code Microsoft.ManagedIdentity/userAssignedIdentities/assign/action} (issue 12), and to create
 * Data Box jobs in a resource group ({@code Microsoft.DataBox/jobs/write}, the check ARM makes
 * before a request reaches the resource provider): the role assignments ARM lists for the caller's
 * object ID at the scope ({@code $filter=assignedTo('{oid}')}, which includes those of the caller's
 * groups), and the actions and notActions of their role definitions. Asked with the service's own
 * ARM token, which needs only read access to role assignments; what it does not see is in
 * docs/SECURITY.md.
 */
public final class ArmIdentityUse implements IdentityUse, JobsAccess {
    static final String AUTHORIZATION_API = "2022-04-01";
    static final String ASSIGN_ACTION = "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action";
    static final String JOBS_WRITE_ACTION = "Microsoft.DataBox/jobs/write";
    private static final Pattern ROLE_DEFINITION = Pattern.compile(
            "(/subscriptions/[0-9A-Fa-f-]{36})?/providers/Microsoft\\.Authorization/roleDefinitions/[0-9A-Fa-f-]{36}",
            Pattern.CASE_INSENSITIVE);

    private static final Logger LOG = Logger.getLogger(ArmIdentityUse.class.getName());

    private final ArmClient arm;

    ArmIdentityUse(ArmClient arm) {
        this.arm = arm;
    }

    @Override
    public boolean mayAssign(Caller caller, UserAssignedIdentityId id) {
        // Not shown is not granted, with the same answer whether the identity exists or not (docs/SECURITY.md).
        return mayPerform(caller, id.value(), ASSIGN_ACTION) == Decision.Granted;
    }

    @Override
    public Decision mayCreateJobs(Caller caller, String subscriptionId, String resourceGroup) {
        if (!TenantId.isWellFormed(subscriptionId.toLowerCase(Locale.ROOT))) {
            return Decision.Denied; // never a path built from what is not a subscription ID
        }
        // The job's key checked the group's name: letters, digits and -_.() only, all of them safe in a path.
        return mayPerform(
                caller, "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup, JOBS_WRITE_ACTION);
    }

    /** Whether the caller itself holds {@code action} at {@code scope} (a resource ID, or a resource group's). */
    private Decision mayPerform(Caller caller, String scope, String action) {
        // A caller without an object ID cannot be looked up, and ARM's filter takes a GUID only.
        if (caller.objectId() == null || !TenantId.isWellFormed(caller.objectId())) {
            return Decision.Denied;
        }
        String filter =
                "$filter=" + URLEncoder.encode("assignedTo('" + caller.objectId() + "')", StandardCharsets.UTF_8);
        ArmClient.Answer answer = arm.send(
                HttpMethod.GET,
                scope + "/providers/Microsoft.Authorization/roleAssignments",
                AUTHORIZATION_API,
                filter,
                null,
                Set.of(200, 400, 401, 403, 404));
        if (answer.status() == 404) {
            return Decision.Denied;
        }
        if (answer.status() != 200) {
            // A subscription the service may not read (not onboarded, another tenant's) or a scope ARM
            // refuses: the caller's permission cannot be shown.
            LOG.warning(() -> "Azure Resource Manager answered HTTP " + answer.status() + " to the role assignments at "
                    + scope + "; whether the caller may " + action + " is unknown");
            return Decision.Unknown;
        }
        for (JsonNode assignment : answer.body().path("value")) {
            JsonNode properties = assignment.path("properties");
            // A condition (ABAC) cannot be evaluated here: such an assignment grants nothing in this check.
            if (properties.hasNonNull("condition") || !isTheCallersOwn(properties, caller, scope)) {
                continue;
            }
            String roleDefinitionId = properties.path("roleDefinitionId").asText();
            if (ROLE_DEFINITION.matcher(roleDefinitionId).matches() && grants(roleDefinitionId, action)) {
                return Decision.Granted;
            }
        }
        return Decision.Denied;
    }

    /**
     * An assignment ARM listed for the caller: to the caller itself, or to a group (ARM's {@code assignedTo}
     * lists those of the groups the caller is in, nested ones too); at the identity or a scope above it.
     */
    private static boolean isTheCallersOwn(JsonNode properties, Caller caller, String scope) {
        boolean principal = caller.objectId()
                        .equalsIgnoreCase(properties.path("principalId").asText())
                || "Group".equals(properties.path("principalType").asText());
        return principal && covers(properties.path("scope").asText(), scope);
    }

    /** Whether an assignment at {@code scope} applies to {@code resource}: the same, or an ancestor of it. */
    static boolean covers(String scope, String resource) {
        String at = scope.toLowerCase(Locale.ROOT);
        String target = resource.toLowerCase(Locale.ROOT);
        if (at.equals("/") || at.startsWith("/providers/microsoft.management/managementgroups/")) {
            return true; // the root and management groups contain subscriptions; ARM listed it for this scope
        }
        return !at.isEmpty() && (target.equals(at) || target.startsWith(at.endsWith("/") ? at : at + "/"));
    }

    private boolean grants(String roleDefinitionId, String action) {
        ArmClient.Answer answer =
                arm.send(HttpMethod.GET, roleDefinitionId, AUTHORIZATION_API, null, null, Set.of(200, 403, 404));
        if (answer.status() != 200) {
            return false;
        }
        JsonNode role = answer.body();
        for (JsonNode permission : role.path("properties").path("permissions")) {
            if (anyMatches(permission.path("actions"), action) && !anyMatches(permission.path("notActions"), action)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyMatches(JsonNode patterns, String action) {
        for (JsonNode pattern : patterns) {
            if (matches(pattern.asText(), action)) {
                return true;
            }
        }
        return false;
    }

    /**
     * ARM's action patterns: case-insensitive, {@code *} standing for any run of characters, and a
     * {@code /*}{@code /} segment also for none (Managed Identity Operator's
     * {@code userAssignedIdentities/*}{@code /assign/action} grants {@code userAssignedIdentities/assign/action}).
     */
    static boolean matches(String pattern, String action) {
        String lower = pattern.toLowerCase(Locale.ROOT);
        return Pattern.matches(regex(lower), action.toLowerCase(Locale.ROOT))
                || lower.contains("/*/")
                        && Pattern.matches(regex(lower.replace("/*/", "/")), action.toLowerCase(Locale.ROOT));
    }

    private static String regex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return regex.toString();
    }
}
