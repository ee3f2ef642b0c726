package com.databox.cmk.api;

import com.databox.cmk.audit.AuditReport;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.Finding;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.Guids;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The audit routes, in the Logic Apps asynchronous pattern: {@code 202} with {@code Location}
 * and {@code Retry-After} until the run is done, then {@code 200} with the report.
 */
@Path("/api/audits")
@Produces(MediaType.APPLICATION_JSON)
public class AuditsResource {

    @Inject
    JsonWebToken caller;

    private static final int POLL_SECONDS = 10;

    @Inject
    AuditService audits;

    @Inject
    PublicUrls urls;

    @Operation(
            operationId = "start-audit",
            summary = "Start a permission audit",
            description = "Starts an audit of every active customer-managed order now. Answers 202 with Location "
                    + "and Retry-After; poll the Location until it answers 200 with the report.")
    @APIResponse(
            responseCode = "202",
            description = "The run started; its report so far.",
            headers = {
                @Header(
                        name = "Location",
                        description = "The run's URL (/api/audits/{runId}): poll it.",
                        schema = @Schema(type = SchemaType.STRING)),
                @Header(
                        name = "Retry-After",
                        description = "Seconds to wait before polling.",
                        schema = @Schema(type = SchemaType.INTEGER))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AuditReportJson.class)))
    @RolesAllowed(Roles.AUDIT_RUN)
    @POST
    public Response start() {
        AuditReport started = audits.start("http", Callers.tenant(caller));
        return accepted(urls, started.runId(), started);
    }

    @Operation(
            operationId = "get-audit",
            summary = "Get an audit run",
            description = "202 with Location and Retry-After while the run goes on, then 200 with its report; "
                    + "500 AuditRunFailed when it stopped and will not finish.")
    @APIResponse(
            responseCode = "200",
            description = "The run is done: its report.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AuditReportJson.class)))
    @APIResponse(
            responseCode = "202",
            description = "The run goes on: its report so far.",
            headers = {
                @Header(
                        name = "Location",
                        description = "The run's URL (/api/audits/{runId}): poll it.",
                        schema = @Schema(type = SchemaType.STRING)),
                @Header(
                        name = "Retry-After",
                        description = "Seconds to wait before polling.",
                        schema = @Schema(type = SchemaType.INTEGER))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AuditReportJson.class)))
    @APIResponse(
            responseCode = "500",
            description = "AuditRunFailed: the run stopped (it did not move on for cmk.audit.stalled-after) and "
                    + "will not finish; start a new one. InternalError: the request failed inside the service.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ErrorJson.class)))
    @APIResponse(
            responseCode = "404",
            description = "AuditRunNotFound: there is no such run.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ErrorJson.class)))
    @RolesAllowed(Roles.AUDIT_RUN)
    @GET
    @Path("/{runId}")
    public Response get(@PathParam("runId") String asSent) {
        // A GUID in any case is the same GUID (RFC 4122); the service writes them in lower case.
        String runId = asSent.toLowerCase(Locale.ROOT);
        AuditReport report = (Guids.isGuid(runId)
                        ? audits.report(Callers.tenant(caller), runId)
                        : java.util.Optional.<AuditReport>empty())
                .orElseThrow(() -> new ServiceException(
                        ErrorCode.AuditRunNotFound, "There is no audit run '" + asSent + "'.", "runId"));
        return switch (report.status()) {
            case Succeeded -> Response.ok(AuditReportJson.of(report)).build();
            case Running -> accepted(urls, runId, report);
            // An error, as the asynchronous pattern ends a failed operation: Logic Apps fails the action, and
            // a generated client's poller the operation, instead of taking the report for a finished run's.
            case Failed -> throw failed(report);
        };
    }

    private static ServiceException failed(AuditReport run) {
        return new ServiceException(
                ErrorCode.AuditRunFailed,
                String.format(
                        Locale.ROOT,
                        "Audit run %s stopped: it has not moved on since %s, and its remaining orders were not"
                                + " audited. %d shard(s) done, %d order(s) checked, %d of them without key access.",
                        run.runId(),
                        run.lastProgressAt(),
                        run.shardsDone(),
                        run.ordersChecked(),
                        run.accessLost()),
                "runId");
    }

    private static Response accepted(PublicUrls urls, String runId, AuditReport report) {
        return Response.accepted(AuditReportJson.of(report))
                .location(urls.absolute("api/audits/" + runId))
                .header("Retry-After", POLL_SECONDS)
                .build();
    }

    @RegisterForReflection
    public record AuditReportJson(
            String runId,
            String status,
            Instant startedAt,
            @Schema(nullable = true) Instant finishedAt,
            int shards,
            int shardsDone,
            int ordersChecked,
            int healthy,
            int accessLost,
            int rotated,

            @Schema(
                    description = "Orders among ordersChecked that got no verdict this run: Key Vault or Resource"
                            + " Manager throttling or not answering, or the order changed meanwhile. They keep their"
                            + " key health, and the next run checks them again.")
            int notAudited,

            @Schema(
                    description = "Orders, not among ordersChecked, whose stored rows the service cannot read again"
                            + " (damaged by a hand edit or storage corruption): not audited; the app logs each at"
                            + " ERROR with its name and column. Since 2026-12-07.")
            int unreadable,

            List<FindingJson> findings) {
        static AuditReportJson of(AuditReport r) {
            return new AuditReportJson(
                    r.runId(),
                    r.status().name(),
                    r.startedAt(),
                    r.finishedAt(),
                    r.shards(),
                    r.shardsDone(),
                    r.ordersChecked(),
                    r.healthy(),
                    r.accessLost(),
                    r.rotated(),
                    r.notAudited(),
                    r.unreadable(),
                    r.findings().stream().map(FindingJson::of).toList());
        }
    }

    @RegisterForReflection
    public record FindingJson(
            String orderName,
            String errorCode,
            String message,
            @Schema(nullable = true) String resolution) {
        static FindingJson of(Finding f) {
            return new FindingJson(f.orderName().value(), f.errorCode().name(), f.message(), f.resolution());
        }
    }
}
