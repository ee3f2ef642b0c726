package com.databox.cmk.jobs.api;

import com.databox.cmk.api.Callers;
import com.databox.cmk.api.PageSize;
import com.databox.cmk.api.PublicUrls;
import com.databox.cmk.api.SigningKeysUnavailable;
import com.databox.cmk.api.TokenRefusal;
import com.databox.cmk.error.AnsweredFailures;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.jobs.JobCaller;
import com.databox.cmk.jobs.JobErrorCode;
import com.databox.cmk.jobs.JobException;
import com.databox.cmk.jobs.JobKey;
import com.databox.cmk.jobs.JobOperation;
import com.databox.cmk.jobs.JobService;
import com.databox.cmk.jobs.JobView;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.StaleOrderException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Microsoft.DataBox/jobs as Azure Resource Manager serves it (docs/DATABOX-ARM-API.md), over the
 * same order and encryption services as /api/orders, with the same app roles. One function per
 * route (src/main/functions/*-job*), each served here under the Functions host's prefix /api.
 */
@Path(JobsResource.BASE)
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {
    static final String BASE = "/api/subscriptions/{subscriptionId}";
    static final String JOB = "/resourceGroups/{resourceGroupName}/providers/Microsoft.DataBox/jobs/{jobName}";
    static final String OPERATIONS = "/providers/Microsoft.DataBox/locations/{location}";

    // The app roles of api.Roles and SECURITY.md: the same token and roles as /api/orders.
    static final String ORDERS_READ = "Orders.Read";
    static final String ORDERS_WRITE = "Orders.Write";
    static final String ENCRYPTION_MANAGE = "Encryption.Manage";
    static final String CREDENTIALS_READ = "Credentials.Read";

    @Inject
    JobService jobs;

    @Inject
    JsonWebToken token;

    @Inject
    SecurityIdentity identity;

    @Inject
    ObjectMapper mapper;

    @Inject
    PublicUrls urls;

    @Context
    ContainerRequestContext request;

    @Operation(
            operationId = "get-job",
            summary = "Get a Data Box job (ARM)",
            description = "Jobs_Get: the job, with properties.details and its keyEncryptionKey when $expand=details.")
    // Whoever may change a job reads it too: the Python SDK's poller ends a long-running PATCH with a GET of the job
    // itself, with the caller's token, and reported a key manager's finished change as a 403.
    @RolesAllowed({ORDERS_READ, ORDERS_WRITE, ENCRYPTION_MANAGE})
    @GET
    @Path(JOB)
    public Response get(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("resourceGroupName") String resourceGroup,
            @PathParam("jobName") String jobName,
            @QueryParam("api-version") String apiVersion,
            @QueryParam("$expand") String expand) {
        String version = ApiVersions.require(apiVersion);
        JobView job = jobs.get(new JobKey(subscriptionId, resourceGroup, jobName), caller());
        return withJob(Response.ok(), job, expand, version);
    }

    @Operation(
            operationId = "create-job",
            summary = "Create a Data Box job (ARM)",
            description = "Jobs_Create: creates the job and its order; the key in properties.details.keyEncryptionKey "
                    + "(Microsoft-managed when absent) protects the new device unlock key.")
    @RolesAllowed(ORDERS_WRITE)
    @PUT
    @Path(JOB)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("resourceGroupName") String resourceGroup,
            @PathParam("jobName") String jobName,
            @QueryParam("api-version") String apiVersion,
            @HeaderParam("If-Match") String ifMatch,
            byte[] body) {
        String version = ApiVersions.require(apiVersion);
        JobKey key = new JobKey(subscriptionId, resourceGroup, jobName);
        // Read from the request rather than as a parameter, as /api/orders does: a parameter would add it to every
        // generated client's create method.
        String ifNoneMatch = request.getHeaderString("If-None-Match");
        JobView job = jobs.create(
                key, new JobRequests(mapper).create(body, version), IfMatch.of(ifMatch), ifNoneMatch, caller());
        // The spec's 200 for Jobs_Create: the job exists when the answer is sent, with its details as the spec's
        // example answers them (since 2026-12-06: without, and begin_create(...).result().details was None).
        return withJob(Response.ok(), job, "details", apiVersion);
    }

    @Operation(
            operationId = "update-job",
            summary = "Update a Data Box job (ARM)",
            description = "Jobs_Update: tags, identity, contact and shipping details, and the key encryption key, "
                    + "identity and key applied as one verified change. 202 with Azure-AsyncOperation and Location "
                    + "when the order changed, 200 when nothing but ARM data did.")
    @RolesAllowed({ORDERS_WRITE, ENCRYPTION_MANAGE})
    @PATCH
    @Path(JOB)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("resourceGroupName") String resourceGroup,
            @PathParam("jobName") String jobName,
            @QueryParam("api-version") String apiVersion,
            @HeaderParam("If-Match") String ifMatch,
            byte[] body) {
        String version = ApiVersions.require(apiVersion);
        JobKey key = new JobKey(subscriptionId, resourceGroup, jobName);
        JobRequests.Patch patch = new JobRequests(mapper).update(body);
        if (patch.needsKeyRole()) {
            requireRole(ENCRYPTION_MANAGE);
        }
        if (patch.needsWriteRole()) {
            requireRole(ORDERS_WRITE);
        }
        Instant started = jobs.now();
        JobService.Updated updated = jobs.update(key, patch.patch(), IfMatch.of(ifMatch), caller());
        if (!updated.orderChanged()) {
            return withJob(Response.ok(), updated.job(), null);
        }
        JobOperation operation = jobs.recordSucceeded(key, updated.job(), "update", started);
        return accepted(operation, version).header("ETag", updated.job().etag()).build();
    }

    @Operation(
            operationId = "delete-job",
            summary = "Delete a Data Box job (ARM)",
            description = "Jobs_Delete: removes a finished (completed, cancelled or aborted) job's ARM resource; the "
                    + "order and its history stay.")
    @RolesAllowed(ORDERS_WRITE)
    @DELETE
    @Path(JOB)
    public Response delete(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("resourceGroupName") String resourceGroup,
            @PathParam("jobName") String jobName,
            @QueryParam("api-version") String apiVersion,
            @HeaderParam("If-Match") String ifMatch) {
        ApiVersions.require(apiVersion);
        boolean deleted =
                jobs.delete(new JobKey(subscriptionId, resourceGroup, jobName), IfMatch.of(ifMatch), caller());
        return Response.status(deleted ? 200 : 204).build();
    }

    @Operation(
            operationId = "list-jobs-by-resource-group",
            summary = "List the jobs of a resource group (ARM)",
            description = "Jobs_ListByResourceGroup, one page at a time with nextLink.")
    @RolesAllowed(ORDERS_READ)
    @GET
    @Path(JobRoutes.JOBS_OF_GROUP)
    public Response listByResourceGroup(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("resourceGroupName") String resourceGroup,
            @QueryParam("api-version") String apiVersion,
            @QueryParam("$skipToken") String skipToken,
            @QueryParam("$top") String top) {
        String version = ApiVersions.require(apiVersion);
        JobKey.requireSubscription(subscriptionId);
        JobKey.requireResourceGroup(resourceGroup);
        return list(
                subscriptionId,
                resourceGroup,
                version,
                skipToken,
                top,
                "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                        + "/providers/Microsoft.DataBox/jobs");
    }

    @Operation(
            operationId = "list-jobs",
            summary = "List the jobs of a subscription (ARM)",
            description = "Jobs_List, one page at a time with nextLink.")
    @RolesAllowed(ORDERS_READ)
    @GET
    @Path(JobRoutes.JOBS_OF_SUBSCRIPTION)
    public Response listBySubscription(
            @PathParam("subscriptionId") String subscriptionId,
            @QueryParam("api-version") String apiVersion,
            @QueryParam("$skipToken") String skipToken,
            @QueryParam("$top") String top) {
        String version = ApiVersions.require(apiVersion);
        JobKey.requireSubscription(subscriptionId);
        return list(
                subscriptionId,
                null,
                version,
                skipToken,
                top,
                "/subscriptions/" + subscriptionId + "/providers/Microsoft.DataBox/jobs");
    }

    @Operation(
            operationId = "list-job-credentials",
            summary = "Reveal a job's device password (ARM)",
            description = "Jobs_ListCredentials: value[].jobSecrets.podSecrets[].devicePassword; when the key cannot "
                    + "be used, jobSecrets.error says why. Not to be cached.")
    @RolesAllowed(CREDENTIALS_READ)
    @POST
    @Path(JobRoutes.LIST_CREDENTIALS)
    public Response listCredentials(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("resourceGroupName") String resourceGroup,
            @PathParam("jobName") String jobName,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        JobKey key = new JobKey(subscriptionId, resourceGroup, jobName);
        JobService.JobCredentials revealed = jobs.credentials(key, caller());
        ObjectNode body = mapper.createObjectNode();
        ObjectNode credentials = body.putArray("value").addObject();
        credentials.put("jobName", revealed.jobName());
        ObjectNode secrets = credentials.putObject("jobSecrets");
        secrets.put("jobSecretsType", "DataBox");
        secrets.putObject("dcAccessSecurityCode");
        byte[] unlockKey = revealed.unlockKey();
        try {
            if (unlockKey != null) {
                ArrayNode pods = secrets.putArray("podSecrets");
                pods.addObject().put("devicePassword", new String(unlockKey, StandardCharsets.US_ASCII));
            } else {
                // As the real API: a key that cannot be used is reported in the credentials, not as a failed call.
                ServiceException refused = revealed.keyRefused();
                secrets.putObject("error")
                        .put("code", refused.code().name())
                        .put("message", refused.getMessage())
                        .put("target", "keyEncryptionKey");
            }
        } finally {
            if (unlockKey != null) {
                Arrays.fill(unlockKey, (byte) 0);
            }
        }
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }

    @Operation(
            operationId = "cancel-job",
            summary = "Cancel a Data Box job (ARM)",
            description = "Jobs_Cancel: { reason }; the order moves to Cancelled.")
    @RolesAllowed(ORDERS_WRITE)
    @POST
    @Path(JobRoutes.CANCEL)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response cancel(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("resourceGroupName") String resourceGroup,
            @PathParam("jobName") String jobName,
            @QueryParam("api-version") String apiVersion,
            @HeaderParam("If-Match") String ifMatch,
            byte[] body) {
        ApiVersions.require(apiVersion);
        JobKey key = new JobKey(subscriptionId, resourceGroup, jobName);
        jobs.cancel(key, new JobRequests(mapper).cancellationReason(body), IfMatch.of(ifMatch), caller());
        return Response.noContent().build();
    }

    @Operation(
            operationId = "mitigate-job",
            summary = "Mitigate a Data Box job (ARM)",
            description =
                    "Mitigate (2022-12-01, 2025-02-01): { customerResolutionCode } or { serialNumberCustomerResolutionMap }; "
                            + "answers MitigationNotRequired while the order has nothing awaiting the customer.")
    @RolesAllowed(ORDERS_WRITE)
    @POST
    @Path(JobRoutes.MITIGATE)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response mitigate(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("resourceGroupName") String resourceGroup,
            @PathParam("jobName") String jobName,
            @QueryParam("api-version") String apiVersion,
            @HeaderParam("If-Match") String ifMatch,
            byte[] body) {
        ApiVersions.require(apiVersion, ApiVersions.WITH_MITIGATE);
        JobKey key = new JobKey(subscriptionId, resourceGroup, jobName);
        jobs.mitigate(key, new JobRequests(mapper).resolutionCode(body), IfMatch.of(ifMatch), caller());
        return Response.noContent().build();
    }

    @Operation(
            operationId = "get-job-operation-status",
            summary = "Status of a long-running job operation (ARM)",
            description = "The Azure-AsyncOperation resource: { id, name, status, startTime, endTime, error }.")
    @RolesAllowed({ORDERS_READ, ORDERS_WRITE, ENCRYPTION_MANAGE})
    @GET
    @Path(JobRoutes.OPERATION_STATUS)
    public Response operationStatus(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("location") String location,
            @PathParam("operationId") String operationId,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        JobKey.requireSubscription(subscriptionId);
        JobOperation operation = jobs.operation(subscriptionId, location, operationId, caller());
        return Response.ok(new JobJson(mapper).operation(operation, statusPath(operation)))
                .build();
    }

    @Operation(
            operationId = "get-job-operation-result",
            summary = "Result of a long-running job operation (ARM)",
            description = "The Location resource: 202 while running, then the job (200), or the operation's error.")
    @RolesAllowed({ORDERS_READ, ORDERS_WRITE, ENCRYPTION_MANAGE})
    @GET
    @Path(JobRoutes.OPERATION_RESULT)
    public Response operationResult(
            @PathParam("subscriptionId") String subscriptionId,
            @PathParam("location") String location,
            @PathParam("operationId") String operationId,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.require(apiVersion);
        JobKey.requireSubscription(subscriptionId);
        JobOperation operation = jobs.operation(subscriptionId, location, operationId, caller());
        if (!"Succeeded".equals(operation.status())) {
            return ArmErrors.response(400, operation.errorCode(), operation.errorMessage(), null, null)
                    .build();
        }
        return withJob(Response.ok(), jobs.operationJob(operation, caller()), null);
    }

    // ---- answers -----------------------------------------------------------------------------

    private Response list(
            String subscriptionId, String resourceGroup, String version, String skipToken, String top, String path) {
        int pageSize = parseTop(top);
        JobService.Page page = jobs.list(subscriptionId, resourceGroup, pageSize, decode(skipToken), caller());
        ObjectNode body = mapper.createObjectNode();
        ArrayNode value = body.putArray("value");
        JobJson shapes = new JobJson(mapper);
        page.jobs().forEach(job -> value.add(shapes.job(job, null)));
        if (page.continuation() != null) {
            body.put(
                    "nextLink",
                    link(path + "?api-version=" + version + (top == null ? "" : "&$top=" + pageSize) + "&$skipToken="
                            + encode(page.continuation())));
        }
        return Response.ok(body).build();
    }

    private Response withJob(Response.ResponseBuilder response, JobView job, String expand) {
        return withJob(response, job, expand, null);
    }

    /** The job, with its details when {@code expand} asks for them, as {@code version} has them. */
    private Response withJob(Response.ResponseBuilder response, JobView job, String expand, String version) {
        // Every item must be 'details' (since 2026-12-06: one was enough, so 'details,foo' and, trimmed of its
        // control character, 'details%00' were taken).
        boolean details = expand != null;
        if (details
                && !Arrays.stream(expand.split(",", -1)).allMatch(e -> e.strip().equalsIgnoreCase("details"))) {
            throw JobException.invalid("'$expand' supports only 'details'.", "$expand");
        }
        return response.entity(new JobJson(mapper).job(job, details ? version : null))
                .header("ETag", job.etag())
                .build();
    }

    /** ARM's asynchronous answer: 202, Azure-AsyncOperation (status) and Location (result). */
    private Response.ResponseBuilder accepted(JobOperation operation, String version) {
        return Response.accepted()
                .header("Azure-AsyncOperation", link(statusPath(operation) + "?api-version=" + version))
                .header(
                        "Location",
                        link(operationsPath(operation) + "/operationResults/" + operation.id() + "?api-version="
                                + version))
                .header("Retry-After", "0");
    }

    private static String statusPath(JobOperation operation) {
        return operationsPath(operation) + "/operationStatuses/" + operation.id();
    }

    private static String operationsPath(JobOperation operation) {
        return "/subscriptions/" + operation.subscriptionId() + "/providers/Microsoft.DataBox/locations/"
                + operation.location();
    }

    /**
     * An absolute link in the form the caller used (with the Functions prefix /api, or at the
     * root), below the configured address of this surface, never the request's {@code Host}.
     */
    private String link(String pathAndQuery) {
        String prefix = Boolean.TRUE.equals(request.getProperty(ArmPaths.AT_ROOT)) ? "" : "api";
        String relative = prefix.isEmpty() ? pathAndQuery.substring(1) : prefix + pathAndQuery;
        return urls.arm(relative).toString();
    }

    private JobCaller caller() {
        String actor;
        String oid = token == null ? null : token.getClaim("oid");
        String appId =
                token == null ? null : token.getClaim("azp") != null ? token.getClaim("azp") : token.getClaim("appid");
        String idtyp = token == null ? null : token.getClaim("idtyp");
        if (oid != null) {
            actor = "oid:" + oid;
        } else {
            actor = appId != null ? "appid:" + appId : "sub:" + (token == null ? "unknown" : token.getSubject());
        }
        String type = "app".equalsIgnoreCase(idtyp) || oid == null ? "Application" : "User";
        return new JobCaller(actor, type, Callers.tenant(token).value(), oid);
    }

    private void requireRole(String role) {
        if (!identity.hasRole(role)) {
            throw new ForbiddenException("Role " + role + " required");
        }
    }

    private static int parseTop(String top) {
        return PageSize.parse(top).orElseThrow(() -> JobException.invalid(PageSize.rule("$top"), "$top"));
    }

    private static String encode(String continuation) {
        return URLEncoder.encode(
                Base64.getUrlEncoder().withoutPadding().encodeToString(continuation.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    private static final Pattern JOB_ROW = Pattern.compile("([0-9a-f]{2}){1,512}");

    private static String decode(String skipToken) {
        if (skipToken == null) {
            return null;
        }
        String continuation;
        try {
            continuation = new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            continuation = "";
        }
        // What this service gives out holds a job's row key, which is hex: a token made up or damaged
        // on the way was read as a place to start from, and answered a page as if it were one.
        if (!JOB_ROW.matcher(continuation).matches()) {
            throw JobException.invalid("'$skipToken' is not one this service gave out.", "$skipToken");
        }
        return continuation;
    }

    // ---- errors in ARM's envelope, for this resource's routes only ---------------------------

    @ServerExceptionMapper
    public Response jobError(JobException e) {
        return ArmErrors.of(e);
    }

    @ServerExceptionMapper
    public Response serviceError(ServiceException e) {
        AnsweredFailures.log(e);
        return ArmErrors.of(e);
    }

    @ServerExceptionMapper
    public Response stale(StaleOrderException e) {
        return ArmErrors.response(
                        JobErrorCode.PreconditionFailed,
                        "The job was changed since the ETag in If-Match was read; "
                                + "read it again and retry with its current ETag.",
                        "If-Match",
                        null)
                .build();
    }

    @ServerExceptionMapper({
        UnauthorizedException.class,
        AuthenticationFailedException.class,
        AuthenticationCompletionException.class
    })
    public Response unauthenticated(RuntimeException e) {
        Optional<ServiceException> outage = SigningKeysUnavailable.in(e);
        if (outage.isPresent()) {
            return ArmErrors.of(outage.get());
        }
        TokenRefusal.noteInLog(e);
        return ArmErrors.response(
                        JobErrorCode.AuthenticationFailed,
                        "Authentication failed: a valid bearer token for this " + "service is required.",
                        "Authorization",
                        null)
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return ArmErrors.response(
                        JobErrorCode.AuthorizationFailed,
                        "The caller does not have the app role this operation " + "needs.",
                        null,
                        ErrorCode.Forbidden.resolution())
                .build();
    }
}
