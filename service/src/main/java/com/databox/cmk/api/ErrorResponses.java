package com.databox.cmk.api;

import com.databox.cmk.error.AnsweredFailures;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.FailuresInLog;
import com.databox.cmk.error.RequestInLog;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.OrderConflictException;
import com.databox.cmk.order.StaleOrderException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.CharConversionException;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become HTTP statuses and the contract's error body. */
public class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    /** The type of every error body, as the routes answer their success bodies (API.md: JSON in UTF-8). */
    public static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    /** The HTTP status of each code: the contract's table (API.md, "Errors"); the ARM surface answers the same. */
    public static int status(ErrorCode code) {
        return switch (code) {
            case Unauthorized -> 401;
            case Forbidden, LinkedAuthorizationFailed -> 403;
            case OrderNotFound, AuditRunNotFound -> 404;
            case OrderAlreadyExists,
                    OrderInTerminalStage,
                    InvalidStageTransition,
                    OrderNotWaitingForCustomerAction,
                    OrderChangedConcurrently,
                    SystemAssignedIdentityLimitReached -> 409;
            case PreconditionFailed -> 412;
            case PayloadTooLarge -> 413;
            case KeyVaultUnavailable, StorageUnavailable, ResourceManagerUnavailable, IdentityProviderUnavailable ->
                503;
            case InternalError, AuditRunFailed -> 500;
            // Every user error of the key: spelled out, so that a new code cannot fall into a status silently.
            case InvalidRequest,
                    SsemUserErrorEncryptionKeyDisabled,
                    SsemUserErrorEncryptionKeyExpired,
                    SsemUserErrorKeyDetailsNotFound,
                    SsemUserErrorKeyVaultBadRequestException,
                    SsemUserErrorKeyVaultDetailsNotFound,
                    SsemUserErrorSystemAssignedIdentityAbsent,
                    SsemUserErrorUserAssignedIdentityAbsent,
                    SsemUserErrorUserAssignedLimitReached,
                    SsemUserErrorCrossTenantIdentityAccessForbidden,
                    SsemUserErrorKekUserIdentityNotFound,
                    SsemUserErrorEncryptionKeyTypeNotSupported,
                    SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled,
                    SsemUserErrorInvalidKeyVaultUrl,
                    SsemUserErrorKeyVaultUrlWithInvalidScheme,
                    SsemUserErrorKeyVaultUrlInvalidHost -> 400;
        };
    }

    @ServerExceptionMapper
    public Response serviceException(ServiceException e) {
        AnsweredFailures.log(e);
        Response.ResponseBuilder response =
                body(status(e.code()), e.code(), e.getMessage(), e.target(), e.resolution());
        if (e.retryAfter() != null) {
            response.header("Retry-After", Math.max(1, e.retryAfter().toSeconds()));
        }
        return response.build();
    }

    @ServerExceptionMapper({
        UnauthorizedException.class,
        AuthenticationFailedException.class,
        AuthenticationCompletionException.class
    })
    public Response unauthenticated(RuntimeException e) {
        Optional<ServiceException> outage = SigningKeysUnavailable.in(e);
        if (outage.isPresent()) {
            return serviceException(outage.get());
        }
        TokenRefusal.noteInLog(e);
        return body(401, ErrorCode.Unauthorized, "A valid bearer token for this service is required.", "Authorization")
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(
                        403,
                        ErrorCode.Forbidden,
                        "The caller's token does not hold the app role this operation needs.",
                        null)
                .build();
    }

    @ServerExceptionMapper
    public Response conflict(OrderConflictException e) {
        return body(409, ErrorCode.OrderAlreadyExists, e.getMessage(), "orderName")
                .build();
    }

    @ServerExceptionMapper
    public Response stale(StaleOrderException e) {
        return body(412, ErrorCode.PreconditionFailed, e.getMessage(), "If-Match")
                .build();
    }

    /** Named by its path in the body ({@code identity.foo}), as the body writes it. */
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = fieldPath(e).orElse(e.getPropertyName());
        return body(400, ErrorCode.InvalidRequest, "The field '" + field + "' is not known here.", field)
                .build();
    }

    /** More specific than Quarkus's own mapper for it, which answers 400 with no body. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        String field = fieldPath(e).orElse("body");
        return body(
                        400,
                        ErrorCode.InvalidRequest,
                        "The request body does not have the shape this route takes"
                                + ("body".equals(field) ? "" : " at '" + field + "'") + ".",
                        field)
                .build();
    }

    private static Optional<String> fieldPath(MismatchedInputException e) {
        return e.getPath().stream()
                .map(reference ->
                        reference.getFieldName() == null ? "[" + reference.getIndex() + "]" : reference.getFieldName())
                .reduce((a, b) -> a + "." + b);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return body(
                        400,
                        ErrorCode.InvalidRequest,
                        "The request body is not valid JSON for this route" + RequestLimits.whatIsWrong(e) + ".",
                        "body")
                .build();
    }

    /**
     * Bytes the JSON reader took for UTF-16 or UTF-32 (by their zero bytes) and could not decode: the reader's
     * {@link CharConversionException} is no {@link JsonProcessingException}, and ended in a 500.
     */
    @ServerExceptionMapper
    public Response undecodable(CharConversionException e) {
        return body(
                        400,
                        ErrorCode.InvalidRequest,
                        "The request body is not valid JSON in UTF-8 for this route.",
                        "body")
                .build();
    }

    @Inject
    RouteMethods routeMethods;

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, ContainerRequestContext request) {
        int status = e.getResponse().getStatus();
        if (status == 404 || status == 405) {
            // A route asked with a method it does not take: 405 with the methods it takes (RFC 9110, 15.5.6).
            Optional<Set<String>> allowed =
                    routeMethods.allowed(request.getUriInfo().getPath());
            if (allowed.isPresent() && !allowed.get().contains(request.getMethod())) {
                return body(
                                405,
                                ErrorCode.InvalidRequest,
                                "This route does not take " + request.getMethod() + ".",
                                null)
                        .header(HttpHeaders.ALLOW, RouteMethods.allowHeader(allowed.get()))
                        .build();
            }
        }
        if (status >= 500) {
            LOG.errorf(FailuresInLog.trimmed(e), "Request failed%s", RequestInLog.described());
            return body(500, ErrorCode.InternalError, "The request failed inside the service.", null)
                    .build();
        }
        if (status == 400 && e.getCause() instanceof JsonProcessingException unreadable) {
            // The JSON reader's refusal of a body it could not parse (a member named twice, say).
            return malformedJson(unreadable);
        }
        if (status == 400 && e.getCause() instanceof CharConversionException undecodable) {
            return undecodable(undecodable);
        }
        ErrorCode code = status == 413 ? ErrorCode.PayloadTooLarge : ErrorCode.InvalidRequest;
        String message = switch (status) {
            case 404 -> "There is no such route.";
            case 405 -> "This route does not take that method.";
            case 406 -> "This route answers application/json only.";
            case 413 -> "The request body is too large.";
            case 415 -> "Send the body as application/json.";
            default -> "The request is not valid for this route.";
        };
        String target = switch (status) {
            case 406 -> HttpHeaders.ACCEPT;
            case 415 -> HttpHeaders.CONTENT_TYPE;
            default -> null;
        };
        return body(status, code, message, target).build();
    }

    /**
     * Whatever else failed, an {@link Error} too: one escaped to Quarkus' own handler, which answered its HTML page
     * (bug bash bb95 M4: the SDK's {@code LinkageError} on an XML error answer).
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.errorf(FailuresInLog.trimmed(e), "Unexpected failure%s", RequestInLog.described());
        return body(
                        500,
                        ErrorCode.InternalError,
                        "The request failed inside the service; nothing secret is shown here.",
                        null)
                .build();
    }

    /** A refusal by the HTTP layer (a header, a query parameter), in the contract's shape. */
    public static Response refusal(int status, String message, String target) {
        return body(status, ErrorCode.InvalidRequest, message, target).build();
    }

    private static Response.ResponseBuilder body(int status, ErrorCode code, String message, String target) {
        return body(status, code, message, target, code.resolution());
    }

    private static Response.ResponseBuilder body(
            int status, ErrorCode code, String message, String target, String resolution) {
        String shownCode = code == ErrorCode.PayloadTooLarge ? ErrorCode.InvalidRequest.name() : code.name();
        return Response.status(status).type(JSON).entity(ErrorJson.of(shownCode, message, target, resolution));
    }
}
