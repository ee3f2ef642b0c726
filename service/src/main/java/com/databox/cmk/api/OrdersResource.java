package com.databox.cmk.api;

import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.CustomerResolutionCode;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.IfNoneMatch;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderConflictException;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderPage;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderService;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The order routes of API.md. Thin: parse, call the service, shape the answer. */
@Path("/api/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    @Inject
    JsonWebToken caller;

    @Inject
    OrderService orders;

    @Inject
    EncryptionService encryption;

    @Inject
    PublicUrls urls;

    /** If-None-Match is read here rather than as a parameter: a new parameter would change generated clients' methods. */
    @Context
    HttpHeaders headers;

    @Operation(
            operationId = "create-order",
            summary = "Create an order",
            description = "Creates an order and its device unlock key, wrapped by the Microsoft-managed key or by the"
                    + " customer-managed key the body names. With If-Match it replaces the order.")
    @APIResponse(
            responseCode = "201",
            description = "The order was created.",
            headers = {
                @Header(
                        name = "Location",
                        description = "The order's URL.",
                        schema = @Schema(type = SchemaType.STRING)),
                @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(
            responseCode = "200",
            description = "The order was replaced (If-Match given).",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(
            responseCode = "409",
            description = ApiDoc.ALREADY_EXISTS + ApiDoc.OR_CHANGED_CONCURRENTLY + ApiDoc.OR_SYSTEM_ASSIGNED_LIMIT,
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
    @RolesAllowed(Roles.ORDERS_WRITE)
    @PUT
    @Path("/{orderName}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createOrReplace(
            @PathParam("orderName") String orderName,
            @HeaderParam("If-Match") String ifMatch,
            OrderRequests.CreateOrderBody body) {
        OrderRef ref = Callers.order(caller, orderName);
        IfMatch precondition = IfMatch.of(ifMatch);
        OrderIfNoneMatch.checkBeforeChange(headers, orders, ref);
        NewOrder request;
        try {
            request = requireBody(body).toNewOrder(precondition.sent());
        } catch (ServiceException refused) {
            // What a replacement may not say is an existing order's: a missing one is told first (412). Read
            // only on a refused body: a replacement's own read is the service's.
            if (precondition.sent()) {
                orders.replaced(ref);
            }
            throw refused;
        }
        Order order;
        try {
            order = request.keyEncryptionKey() != null && !precondition.sent()
                    ? encryption.create(ref, request, Callers.of(caller))
                    : orders.createOrReplace(ref, request, precondition, Callers.of(caller));
        } catch (OrderConflictException createdMeanwhile) {
            Optional<IfNoneMatch> condition = OrderIfNoneMatch.of(headers);
            if (condition.isPresent() && condition.get().any()) {
                throw OrderIfNoneMatch.refusal(condition.get(), ref.name());
            }
            throw createdMeanwhile;
        }
        Response.ResponseBuilder response = !precondition.sent()
                ? Response.created(urls.absolute("api/orders/" + ref.name().value()))
                : Response.ok();
        return withOrder(response, order);
    }

    @Operation(
            operationId = "get-order",
            summary = "Get an order",
            description = "Reads one order: stage, identity, key encryption key and key health.")
    @APIResponse(
            responseCode = "200",
            description = "The order.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(
            responseCode = "304",
            description = "Not modified: If-None-Match names the order's ETag (or is *); no body.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(
            responseCode = "404",
            description = ApiDoc.ORDER_NOT_FOUND,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ErrorJson.class)))
    @RolesAllowed(Roles.ORDERS_READ)
    @GET
    @Path("/{orderName}")
    public Response get(@PathParam("orderName") String orderName) {
        Order order = orders.get(Callers.order(caller, orderName));
        Optional<IfNoneMatch> condition = OrderIfNoneMatch.of(headers);
        if (condition.isPresent() && condition.get().matches(order.etag())) {
            return Response.notModified().header(HttpHeaders.ETAG, order.etag()).build();
        }
        return withOrder(Response.ok(), order);
    }

    @Operation(
            operationId = "list-orders",
            summary = "List orders",
            description = "Lists orders one page at a time; nextLink names the next page.")
    @APIResponse(
            responseCode = "200",
            description = "A page of orders; nextLink names the next page, if any.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderListJson.class)))
    @RolesAllowed(Roles.ORDERS_READ)
    @GET
    public OrderListJson list(
            // Read as text so that a value out of range gets the contract's 400, but described as what it is.
            @Parameter(
                            description =
                                    "Orders per page, 1 to " + PageSize.MAX + " (default " + PageSize.DEFAULT + ").",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "" + PageSize.MAX,
                                            defaultValue = "" + PageSize.DEFAULT))
                    @QueryParam("top")
                    String top,
            @Parameter(description = "The continuation from a previous page's nextLink.") @QueryParam("$skipToken")
                    String skipToken) {
        int pageSize = parseTop(top);
        OrderPage page = orders.list(Callers.tenant(caller), pageSize, decodeToken(skipToken));
        String nextLink = page.continuation() == null
                ? null
                : urls.absolute("api/orders?top=" + pageSize + "&$skipToken=" + encodeToken(page.continuation()))
                        .toString();
        return new OrderListJson(page.orders().stream().map(OrderJson::of).toList(), nextLink);
    }

    @Operation(
            operationId = "update-order-identity",
            summary = "Set the order's identity",
            description = "Sets the order's managed identities (system-assigned, user-assigned, both, or none).")
    @APIResponse(
            responseCode = "200",
            description = "The order.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = ApiDoc.CHANGED_CONCURRENTLY + ApiDoc.OR_SYSTEM_ASSIGNED_LIMIT,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER + " Set for OrderChangedConcurrently.",
                            schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "412", description = ApiDoc.PRECONDITION_FAILED)
    @APIResponse(responseCode = "413", description = ApiDoc.TOO_LARGE)
    @APIResponse(responseCode = "415", description = ApiDoc.UNSUPPORTED_MEDIA_TYPE)
    @RolesAllowed(Roles.ORDERS_WRITE)
    @PATCH
    @Path("/{orderName}/identity")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response updateIdentity(
            @PathParam("orderName") String orderName,
            @HeaderParam("If-Match") String ifMatch,
            OrderRequests.IdentityBody body) {
        OrderIfNoneMatch.checkBeforeChange(headers, orders, Callers.order(caller, orderName));
        return withOrder(
                Response.ok(),
                orders.updateIdentity(
                        Callers.order(caller, orderName),
                        requireBody(body).toUpdate("identity"),
                        IfMatch.of(ifMatch),
                        Callers.of(caller)));
    }

    @Operation(
            operationId = "move-order-stage",
            summary = "Move the order to a later stage",
            description = "Moves the order forward; entering DataCopy unwraps the device unlock key.")
    @APIResponse(
            responseCode = "200",
            description = "The order.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = "InvalidStageTransition: orders only move forward, never out of a terminal stage."
                    + ApiDoc.OR_CHANGED_CONCURRENTLY,
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
    @RolesAllowed(Roles.ORDERS_WRITE)
    @POST
    @Path("/{orderName}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response moveStage(
            @PathParam("orderName") String orderName,
            @HeaderParam("If-Match") String ifMatch,
            OrderRequests.StageBody body) {
        OrderIfNoneMatch.checkBeforeChange(headers, orders, Callers.order(caller, orderName));
        return withOrder(
                Response.ok(),
                encryption.moveStage(
                        Callers.order(caller, orderName),
                        requireBody(body).toStage(),
                        IfMatch.of(ifMatch),
                        Callers.actor(caller)));
    }

    @Operation(
            operationId = "mitigate-order",
            summary = "Resume an order that waits for its key",
            description =
                    "After the customer fixed the key (stageStatus WaitingForCustomerActionForKek), "
                            + "{\"customerResolutionCode\":\"Resume\"} runs the checks again and moves the order on when they pass.")
    @APIResponse(
            responseCode = "200",
            description = "The order.",
            headers = @Header(name = "ETag", description = ApiDoc.ETAG, schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OrderJson.class)))
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = "OrderNotWaitingForCustomerAction: the order waits for no customer action on its key."
                    + ApiDoc.OR_CHANGED_CONCURRENTLY,
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
    @RolesAllowed(Roles.ORDERS_WRITE)
    @POST
    @Path("/{orderName}/mitigate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response mitigate(
            @PathParam("orderName") String orderName,
            @HeaderParam("If-Match") String ifMatch,
            OrderRequests.MitigateBody body) {
        OrderIfNoneMatch.checkBeforeChange(headers, orders, Callers.order(caller, orderName));
        return withOrder(
                Response.ok(),
                encryption.mitigate(
                        Callers.order(caller, orderName),
                        CustomerResolutionCode.parse(requireBody(body).customerResolutionCode())
                                .orElseThrow(CustomerResolutionCode::notResume),
                        IfMatch.of(ifMatch),
                        Callers.actor(caller)));
    }

    @Operation(
            operationId = "list-credentials",
            summary = "Reveal the device password",
            description = "Unwraps and returns the device unlock key. The answer is not to be cached.")
    @APIResponse(
            responseCode = "200",
            description = "The device password. Not to be cached or logged.",
            headers =
                    @Header(
                            name = "Cache-Control",
                            description = "no-store",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CredentialsJson.class)))
    @APIResponse(responseCode = "404", description = ApiDoc.ORDER_NOT_FOUND)
    @APIResponse(
            responseCode = "503",
            description = ApiDoc.KEY_VAULT_UNAVAILABLE,
            headers =
                    @Header(
                            name = "Retry-After",
                            description = ApiDoc.RETRY_AFTER,
                            schema = @Schema(type = SchemaType.INTEGER)))
    @RolesAllowed(Roles.CREDENTIALS_READ)
    @POST
    @Path("/{orderName}/listCredentials")
    public Response listCredentials(@PathParam("orderName") String orderName) {
        byte[] unlockKey = orders.revealUnlockKey(Callers.order(caller, orderName));
        try {
            return Response.ok(new CredentialsJson(new String(unlockKey, StandardCharsets.US_ASCII)))
                    .header("Cache-Control", "no-store")
                    .build();
        } finally {
            Arrays.fill(unlockKey, (byte) 0);
        }
    }

    @RegisterForReflection
    public record OrderListJson(
            List<OrderJson> value,

            @Schema(nullable = true, description = "The next page's URL; null on the last page.")
            String nextLink) {}

    @RegisterForReflection
    public record CredentialsJson(String devicePassword) {
        @Override
        public String toString() {
            return "CredentialsJson[devicePassword=<redacted>]";
        }
    }

    static Response withOrder(Response.ResponseBuilder response, Order order) {
        return response.entity(OrderJson.of(order)).header("ETag", order.etag()).build();
    }

    static <T> T requireBody(T body) {
        if (body == null) {
            throw ServiceException.invalidRequest("A JSON request body is required.", "body");
        }
        return body;
    }

    private static int parseTop(String top) {
        return PageSize.parse(top).orElseThrow(() -> ServiceException.invalidRequest(PageSize.rule("top"), "top"));
    }

    /** A listing goes on after the order name its token holds: the service checks it, the store never sees the token. */
    private static String encodeToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    private static OrderName decodeToken(String skipToken) {
        if (skipToken == null) {
            return null;
        }
        try {
            return new OrderName(new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | ServiceException e) {
            throw ServiceException.invalidRequest("'$skipToken' is not one this service gave out.", "$skipToken");
        }
    }
}
