package com.databox.cmk.api;

import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderPage;
import com.databox.cmk.order.OrderService;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** The order routes of API.md. Thin: parse, call the service, shape the answer. */
@Path("/api/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    @Inject
    JsonWebToken caller;
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    @Inject
    OrderService orders;

    @Inject
    EncryptionService encryption;

    @Inject
    PublicUrls urls;

    @Operation(operationId = "create-order", summary = "Create an order",
            description = "Creates an order and its device unlock key, wrapped by the Microsoft-managed key or by the"
                    + " customer-managed key the body names. With If-Match it replaces the order.")
    @RolesAllowed(Roles.ORDERS_WRITE)
    @PUT
    @Path("/{orderName}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createOrReplace(@PathParam("orderName") String orderName, @HeaderParam("If-Match") String ifMatch,
            OrderRequests.CreateOrderBody body) {
        OrderRef ref = Callers.order(caller, orderName);
        NewOrder request = requireBody(body).toNewOrder();
        Order order = request.keyEncryptionKey() != null && ifMatch == null
                ? encryption.create(ref, request, Callers.of(caller))
                : orders.createOrReplace(ref, request, ifMatch, Callers.of(caller));
        Response.ResponseBuilder response = ifMatch == null
                ? Response.created(urls.absolute("api/orders/" + ref.name().value()))
                : Response.ok();
        return withOrder(response, order);
    }

    @Operation(operationId = "get-order", summary = "Get an order",
            description = "Reads one order: stage, identity, key encryption key and key health.")
    @RolesAllowed(Roles.ORDERS_READ)
    @GET
    @Path("/{orderName}")
    public Response get(@PathParam("orderName") String orderName) {
        return withOrder(Response.ok(), orders.get(Callers.order(caller, orderName)));
    }

    @Operation(operationId = "list-orders", summary = "List orders",
            description = "Lists orders one page at a time; nextLink names the next page.")
    @RolesAllowed(Roles.ORDERS_READ)
    @GET
    public OrderListJson list(@QueryParam("top") String top, @QueryParam("$skipToken") String skipToken) {
        int pageSize = parseTop(top);
        OrderPage page = orders.list(Callers.tenant(caller), pageSize, decodeToken(skipToken));
        String nextLink = page.continuation() == null ? null
                : urls.absolute("api/orders?top=" + pageSize + "&$skipToken=" + encodeToken(page.continuation()))
                        .toString();
        return new OrderListJson(page.orders().stream().map(OrderJson::of).toList(), nextLink);
    }

    @Operation(operationId = "update-order-identity", summary = "Set the order's identity",
            description = "Sets the order's managed identities (system-assigned, user-assigned, both, or none).")
    @RolesAllowed(Roles.ORDERS_WRITE)
    @PATCH
    @Path("/{orderName}/identity")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response updateIdentity(@PathParam("orderName") String orderName, @HeaderParam("If-Match") String ifMatch,
            OrderRequests.IdentityBody body) {
        return withOrder(Response.ok(), orders.updateIdentity(Callers.order(caller, orderName),
                requireBody(body).toUpdate("identity"), ifMatch, Callers.of(caller)));
    }

    @Operation(operationId = "move-order-stage", summary = "Move the order to a later stage",
            description = "Moves the order forward; entering DataCopy unwraps the device unlock key.")
    @RolesAllowed(Roles.ORDERS_WRITE)
    @POST
    @Path("/{orderName}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response moveStage(@PathParam("orderName") String orderName, @HeaderParam("If-Match") String ifMatch,
            OrderRequests.StageBody body) {
        return withOrder(Response.ok(), orders.moveStage(Callers.order(caller, orderName), requireBody(body).toStage(),
                ifMatch, Callers.actor(caller)));
    }

    @Operation(operationId = "list-credentials", summary = "Reveal the device password",
            description = "Unwraps and returns the device unlock key. The answer is not to be cached.")
    @RolesAllowed(Roles.CREDENTIALS_READ)
    @POST
    @Path("/{orderName}/listCredentials")
    public Response listCredentials(@PathParam("orderName") String orderName) {
        byte[] unlockKey = orders.revealUnlockKey(Callers.order(caller, orderName));
        try {
            return Response.ok(new CredentialsJson(new String(unlockKey, StandardCharsets.US_ASCII)))
                    .header("Cache-Control", "no-store").build();
        } finally {
            Arrays.fill(unlockKey, (byte) 0);
        }
    }

    @RegisterForReflection
    public record OrderListJson(List<OrderJson> value, String nextLink) {
    }

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
        if (top == null) {
            return DEFAULT_PAGE;
        }
        try {
            int value = Integer.parseInt(top);
            if (value >= 1 && value <= MAX_PAGE) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ServiceException.invalidRequest("'top' must be a whole number from 1 to " + MAX_PAGE + ".", "top");
    }

    private static String encodeToken(String continuation) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(continuation.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String skipToken) {
        if (skipToken == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalidRequest("'$skipToken' is not one this service gave out.", "$skipToken");
        }
    }
}
