package com.databox.cmk.trigger;

import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.audit.ShardResult;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.outbox.OutboxRelay;
import com.databox.cmk.outbox.SweepResult;
import com.databox.cmk.sweep.IdentitySweep;
import com.databox.cmk.sweep.SweepReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The non-HTTP functions, as the Functions host calls a custom handler: it POSTs
 * {@code /{functionName}} with {@code {"Data":{…},"Metadata":{…}}} and expects
 * {@code {"Outputs":{…},"Logs":[…],"ReturnValue":…}}; any other status makes it retry.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
// Shards travel as JSON on the queue, and the sweep's report is a return value: the native image must
// keep the records' constructors and accessors.
@RegisterForReflection(targets = {AuditShard.class, SweepReport.class})
// Only the Functions host calls these, on the handler's loopback port; it forwards to the
// handler nothing but the HTTP functions' routes (all under /api), so callers cannot reach them;
// api.CanonicalPaths refuses any spelling that only normalises to these paths, and non-loopback peers.
@PermitAll
public class FunctionTriggers {
    @Inject
    AuditService audits;

    @Inject
    PermissionAuditTimer permissionAuditTimer;

    @Inject
    IdentitySweep identitySweep;

    @Inject
    ObjectMapper json;

    @Inject
    OutboxRelay outbox;

    @RegisterForReflection
    public record InvocationResponse(Map<String, Object> Outputs, List<String> Logs, Object ReturnValue) {}

    /** The timer-triggered permission audit (schedule: the app setting AUDIT_SCHEDULE). */
    @POST
    @Path("permission-audit")
    public InvocationResponse permissionAudit(JsonNode invocation) {
        return permissionAuditTimer.fire();
    }

    /** The timer-triggered identity sweep (schedule: the app setting IDENTITY_SWEEP_SCHEDULE). */
    @POST
    @Path("identity-sweep")
    public InvocationResponse identitySweep(JsonNode invocation) {
        SweepReport report = identitySweep.sweep();
        return new InvocationResponse(
                Map.of(),
                List.of("Identity sweep: " + report.unassigned() + " un-assigned, " + report.deleted() + " deleted, "
                        + report.reassigned() + " assigned again, " + report.unreadable() + " orders unreadable"),
                report);
    }

    /**
     * The timer-triggered sweep of the orders' outbox (every minute): publishes the events that the
     * relay right after their change did not (a crash, an outage), at most a capped number per run.
     */
    @POST
    @Path("outbox-relay")
    public InvocationResponse outboxRelay(JsonNode invocation) {
        SweepResult result = outbox.sweep();
        return new InvocationResponse(
                Map.of(),
                List.of("Outbox sweep: " + result.published() + " events published"
                        + (result.failed() > 0 ? ", stopped by a failed publish" : "")
                        + (result.capped() ? ", more left for the next sweep" : "")),
                null);
    }

    /** One shard of an audit run, from the queue {@code cmk-audit-shards}. */
    @POST
    @Path("audit-shard")
    public InvocationResponse auditShard(JsonNode invocation) {
        AuditShard shard = shardOf(invocation);
        ShardResult result = audits.runShard(shard, dequeueCount(invocation));
        return new InvocationResponse(
                Map.of(),
                List.of("Audit run " + shard.runId() + " shard " + shard.index() + ": " + result.ordersChecked()
                        + " orders checked, " + result.accessLost() + " without key access, " + result.notAudited()
                        + " not audited, " + result.unreadable() + " unreadable"),
                null);
    }

    /**
     * The host hands the queue message over as a JSON string, or as the object itself. Anything
     * else answers {@code 400} (the host then stops after its few retries and moves the message to
     * the poison queue); nothing is written for it.
     */
    private AuditShard shardOf(JsonNode invocation) {
        JsonNode message = invocation == null ? null : invocation.path("Data").path("shard");
        if (message == null || message.isMissingNode() || message.isNull()) {
            throw ServiceException.invalidRequest("The invocation has no Data.shard.", "Data.shard");
        }
        try {
            JsonNode shard = message.isTextual() ? json.readTree(message.asText()) : message;
            if (shard == null || !shard.isObject()) {
                throw ServiceException.invalidRequest("Data.shard is not a shard message.", "Data.shard");
            }
            return json.treeToValue(shard, AuditShard.class);
        } catch (IOException | IllegalArgumentException e) {
            throw ServiceException.invalidRequest("Data.shard is not a shard message.", "Data.shard");
        }
    }

    /** The host's {@code Metadata.DequeueCount} of the queue message (a number or its string); 0 when it says none. */
    private static long dequeueCount(JsonNode invocation) {
        JsonNode count = invocation == null ? null : invocation.path("Metadata").path("DequeueCount");
        if (count != null && count.isIntegralNumber()) {
            return count.asLong();
        }
        if (count != null && count.isTextual() && count.asText().matches("[0-9]{1,9}")) {
            return Long.parseLong(count.asText());
        }
        return 0;
    }
}
