package com.databox.cmk.api;

import static com.databox.cmk.api.OrdersResource.requireBody;
import static com.databox.cmk.api.OrdersResource.withOrder;

import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.ValidationReport;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.unlockkey.KeyUrl;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The customer-managed-key routes of API.md: enable, change key, change identity, revert, validate. */
@Path("/api/orders/{orderName}/encryption")
@Produces(MediaType.APPLICATION_JSON)
public class EncryptionResource {

    @Inject
    JsonWebToken caller;

    @Inject
    EncryptionService encryption;

    @Inject
    ObjectMapper json;

    @Inject
    OrderService orders;

    /** If-None-Match is read here rather than as a parameter: a new parameter would change generated clients' methods. */
    @Context
    HttpHeaders headers;

    /** Also an order's {@code keyEncryptionKey} as answered, {@code kekType} and {@code autoRotation} with it. */
    @RegisterForReflection
    record EnableBody(
            @Schema(required = true) String kekUrl,
            @JsonProperty("kekVaultResourceID") String kekVaultResourceId,
            @Schema(required = true) OrderRequests.IdentityPropertiesBody identityProperties,

            @Schema(description = "CustomerManaged, as an order's answer shows it.")
            String kekType,

            @Schema(description = OrderRequests.AUTO_ROTATION_MEANING)
            Boolean autoRotation) {
        /** {@code {}}: what a typescript-axios client sends for validate's absent body (openapi-generator #13028). */
        boolean proposesNothing() {
            return kekUrl == null
                    && kekVaultResourceId == null
                    && identityProperties == null
                    && kekType == null
                    && autoRotation == null;
        }

        KeyEncryptionKeyRequest toRequest() {
            if (kekType != null && !"CustomerManaged".equalsIgnoreCase(kekType)) {
                throw ServiceException.invalidRequest(
                        "'kekType' here is CustomerManaged or absent: the Microsoft-managed key comes back with"
                                + " use-microsoft-key.",
                        "kekType");
            }
            RequestedKeyUrl url = requireKekUrl(kekUrl);
            VaultResourceId vault = VaultResourceId.parseOptional(kekVaultResourceId);
            if (identityProperties == null) {
                throw ServiceException.invalidRequest("'identityProperties' is required.", "identityProperties");
            }
            return new KeyEncryptionKeyRequest(
                    url,
                    vault,
                    identityProperties.toKeyIdentity(),
                    OrderRequests.followsNewVersions(url, autoRotation, "autoRotation"));
        }
    }

    @RegisterForReflection
    record ChangeKeyBody(
            @Schema(required = true) String kekUrl,
            @JsonProperty("kekVaultResourceID") String kekVaultResourceId,

            @Schema(description = OrderRequests.AUTO_ROTATION_MEANING)
            Boolean autoRotation) {}

    @RegisterForReflection
    record ChangeIdentityBody(@Schema(required = true) OrderRequests.IdentityPropertiesBody identityProperties) {}

    @Operation(
            operationId = "enable-cmk",
            summary = "Enable a customer-managed key",
            description = "Protects the device unlock key with the customer's RSA key in their key vault, reached "
                    + "through the order identity the body names.")
    @APIResponse(
            responseCode = "200",
            description = "The order, protected as asked.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(responseCode = "400", description = ApiDoc.KEY_REFUSED)
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = ApiDoc.TERMINAL_STAGE + ApiDoc.OR_CHANGED_CONCURRENTLY,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER + " Set for OrderChangedConcurrently.",
                            schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "412", description = ApiDoc.PRECONDITION_FAILED)
    @APIResponse(responseCode = "413", description = ApiDoc.TOO_LARGE)
    @APIResponse(responseCode = "415", description = ApiDoc.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(
            responseCode = "503",
            description = ApiDoc.KEY_VAULT_UNAVAILABLE,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER,
                            schema = @Schema(type = SchemaType.INTEGER)))
    @RolesAllowed(Roles.ENCRYPTION_MANAGE)
    @POST
    @Path("/enable")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response enable(
            @PathParam("orderName") String orderName, @HeaderParam("If-Match") String ifMatch, EnableBody body) {
        OrderRef ref = Callers.order(caller, orderName);
        OrderIfNoneMatch.checkBeforeChange(headers, orders, ref);
        return withOrder(
                Response.ok(),
                encryption.enable(ref, requireBody(body).toRequest(), IfMatch.of(ifMatch), Callers.actor(caller)));
    }

    @Operation(
            operationId = "change-key",
            summary = "Change the customer-managed key",
            description = "Moves to another version of the key, another key, or a key in another vault.")
    @APIResponse(
            responseCode = "200",
            description = "The order, protected as asked.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(responseCode = "400", description = ApiDoc.KEY_REFUSED)
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = ApiDoc.TERMINAL_STAGE + ApiDoc.OR_CHANGED_CONCURRENTLY,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER + " Set for OrderChangedConcurrently.",
                            schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "412", description = ApiDoc.PRECONDITION_FAILED)
    @APIResponse(responseCode = "413", description = ApiDoc.TOO_LARGE)
    @APIResponse(responseCode = "415", description = ApiDoc.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(
            responseCode = "503",
            description = ApiDoc.KEY_VAULT_UNAVAILABLE,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER,
                            schema = @Schema(type = SchemaType.INTEGER)))
    @RolesAllowed(Roles.ENCRYPTION_MANAGE)
    @POST
    @Path("/change-key")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response changeKey(
            @PathParam("orderName") String orderName, @HeaderParam("If-Match") String ifMatch, ChangeKeyBody body) {
        OrderRef ref = Callers.order(caller, orderName);
        OrderIfNoneMatch.checkBeforeChange(headers, orders, ref);
        requireBody(body);
        RequestedKeyUrl url = requireKekUrl(body.kekUrl());
        VaultResourceId vault = VaultResourceId.parseOptional(body.kekVaultResourceId());
        boolean follows = OrderRequests.followsNewVersions(url, body.autoRotation(), "autoRotation");
        return withOrder(
                Response.ok(),
                encryption.changeKey(ref, url, follows, vault, IfMatch.of(ifMatch), Callers.actor(caller)));
    }

    @Operation(
            operationId = "change-identity",
            summary = "Change the identity that reaches the key",
            description = "Reaches the customer-managed key through another user-assigned identity or the system-"
                    + "assigned one.")
    @APIResponse(
            responseCode = "200",
            description = "The order, protected as asked.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(responseCode = "400", description = ApiDoc.KEY_REFUSED)
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = ApiDoc.TERMINAL_STAGE + ApiDoc.OR_CHANGED_CONCURRENTLY,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER + " Set for OrderChangedConcurrently.",
                            schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "412", description = ApiDoc.PRECONDITION_FAILED)
    @APIResponse(responseCode = "413", description = ApiDoc.TOO_LARGE)
    @APIResponse(responseCode = "415", description = ApiDoc.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(
            responseCode = "503",
            description = ApiDoc.KEY_VAULT_UNAVAILABLE,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER,
                            schema = @Schema(type = SchemaType.INTEGER)))
    @RolesAllowed(Roles.ENCRYPTION_MANAGE)
    @POST
    @Path("/change-identity")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response changeIdentity(
            @PathParam("orderName") String orderName,
            @HeaderParam("If-Match") String ifMatch,
            ChangeIdentityBody body) {
        OrderRef ref = Callers.order(caller, orderName);
        OrderIfNoneMatch.checkBeforeChange(headers, orders, ref);
        if (requireBody(body).identityProperties() == null) {
            throw ServiceException.invalidRequest("'identityProperties' is required.", "identityProperties");
        }
        return withOrder(
                Response.ok(),
                encryption.changeIdentity(
                        ref, body.identityProperties().toKeyIdentity(), IfMatch.of(ifMatch), Callers.actor(caller)));
    }

    @Operation(
            operationId = "use-microsoft-key",
            summary = "Revert to the Microsoft-managed key",
            description = "Protects the device unlock key with the Microsoft-managed key again.")
    @APIResponse(
            responseCode = "200",
            description = "The order, protected as asked.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(responseCode = "400", description = ApiDoc.KEY_REFUSED)
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = ApiDoc.TERMINAL_STAGE + ApiDoc.OR_CHANGED_CONCURRENTLY,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER + " Set for OrderChangedConcurrently.",
                            schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "412", description = ApiDoc.PRECONDITION_FAILED)
    @APIResponse(
            responseCode = "503",
            description = ApiDoc.KEY_VAULT_UNAVAILABLE,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER,
                            schema = @Schema(type = SchemaType.INTEGER)))
    @RolesAllowed(Roles.ENCRYPTION_MANAGE)
    @POST
    @Path("/use-microsoft-key")
    public Response useMicrosoftKey(@PathParam("orderName") String orderName, @HeaderParam("If-Match") String ifMatch) {
        OrderRef ref = Callers.order(caller, orderName);
        OrderIfNoneMatch.checkBeforeChange(headers, orders, ref);
        return withOrder(Response.ok(), encryption.useMicrosoftKey(ref, IfMatch.of(ifMatch), Callers.actor(caller)));
    }

    /**
     * Without a body it checks the order's current configuration, with one the proposed
     * configuration; the body is optional, so it is read as text whatever its content type.
     */
    @Operation(
            operationId = "validate-encryption",
            summary = "Validate the key configuration",
            description = "Checks the order's current configuration (no body) or a proposed one (body as for enable) "
                    + "and reports each requirement. An If-Match header that names another version of the order "
                    + "answers 412.")
    @APIResponse(
            responseCode = "200",
            description = "The report: each requirement passed, failed (with its code) or " + "was skipped.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ValidationReportJson.class)))
    @APIResponse(responseCode = "400", description = ApiDoc.KEY_REFUSED)
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(responseCode = "412", description = ApiDoc.PRECONDITION_FAILED)
    @APIResponse(responseCode = "413", description = ApiDoc.TOO_LARGE)
    @APIResponse(
            responseCode = "503",
            description = ApiDoc.KEY_VAULT_UNAVAILABLE,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER,
                            schema = @Schema(type = SchemaType.INTEGER)))
    @RolesAllowed(Roles.ENCRYPTION_MANAGE)
    @POST
    @Path("/validate")
    @Consumes(MediaType.WILDCARD)
    public ValidationReportJson validate(
            @PathParam("orderName") String orderName,
            // Out of the document: a generated client's validate method would take one argument more, and the
            // code that called it would no longer compile.
            @Parameter(hidden = true) @HeaderParam("If-Match") String ifMatch,
            @RequestBody(
                            required = false,
                            description = "A proposed configuration, as for enable; none checks the current one.",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = EnableBody.class)))
                    byte[] body)
            throws IOException {
        OrderRef ref = Callers.order(caller, orderName);
        // JSON null and {} are no proposal too: generated Java and typescript-axios clients send them for an absent
        // optional body. Read as
        // bytes, as the other routes' bodies are: a UTF-8 byte order mark is taken, bytes that are no UTF-8 are not.
        EnableBody proposal = JsonBodies.isBlank(body) ? null : json.readValue(body, EnableBody.class);
        ValidationReport report = encryption.validate(
                ref,
                proposal == null || proposal.proposesNothing() ? null : proposal.toRequest(),
                IfMatch.of(ifMatch),
                Callers.actor(caller));
        return ValidationReportJson.of(report);
    }

    /** The body's key URL, read once; one that is no key URL is refused where the operation checks it. */
    private static RequestedKeyUrl requireKekUrl(String kekUrl) {
        if (kekUrl == null || kekUrl.isBlank()) {
            throw ServiceException.invalidRequest(
                    "'kekUrl' is required: the key identifier from the key vault.", "kekUrl");
        }
        if (kekUrl.length() > KeyUrl.MAX_LENGTH) {
            throw ServiceException.invalidRequest("'kekUrl' is too long.", "kekUrl");
        }
        return RequestedKeyUrl.read(kekUrl);
    }
}
