package com.databox.cmk.jobs.api;

import com.databox.cmk.api.ErrorResponses;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.jobs.JobErrorCode;
import com.databox.cmk.jobs.JobException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;

/**
 * ARM's error envelope, {@code {"error":{"code","message","target","details":[]}}} (the spec's ApiError /
 * ErrorDetail), with {@code additionalInfo} when there is a resolution. The service's own codes (the
 * {@code SsemUserError…} ones, {@code OrderInTerminalStage}, …) keep their names; what the user can do goes in
 * {@code additionalInfo} as {@code {"type":"Resolution","info":{"resolution":…}}}.
 */
final class ArmErrors {
    private ArmErrors() {}

    static Response of(JobException e) {
        return response(e.code(), e.getMessage(), e.target(), null).build();
    }

    /** The surface's own code, at the one status its kind answers. */
    static Response.ResponseBuilder response(JobErrorCode code, String message, String target, String resolution) {
        int status = switch (code.kind()) {
            case Invalid -> 400;
            case NotFound -> 404;
            case Conflict -> 409;
            case Stale -> 412;
            case Unauthorized -> 401;
            case Forbidden -> 403;
        };
        return response(status, code.name(), message, target, resolution);
    }

    static Response of(ServiceException e) {
        ErrorCode code = e.code();
        int status = ErrorResponses.status(code);
        Response.ResponseBuilder response =
                response(status, armCode(code), e.getMessage(), target(e.target()), e.resolution());
        if (e.retryAfter() != null) {
            response.header("Retry-After", Math.max(1, e.retryAfter().toSeconds()));
        }
        return response.build();
    }

    /** The service's code as this surface names it: ARM's where the service's own has an ARM twin. */
    static String armCode(ErrorCode code) {
        return switch (code) {
            // PayloadTooLarge is InvalidRequest at 413 on /api too (ErrorResponses), never a code of its own.
            case InvalidRequest, PayloadTooLarge -> JobErrorCode.InvalidRequestContent.name();
            case OrderNotFound -> JobErrorCode.ResourceNotFound.name();
            default -> code.name();
        };
    }

    /** As {@link #armCode(ErrorCode)}, for a code the /api edge has written into its error body already. */
    static String armCode(String code) {
        for (ErrorCode known : ErrorCode.values()) {
            if (known.name().equals(code)) {
                return armCode(known);
            }
        }
        return code;
    }

    /** A code as text: the domain's (renamed by {@link #armCode}), or a failed operation's as it was recorded. */
    static Response.ResponseBuilder response(
            int status, String code, String message, String target, String resolution) {
        return Response.status(status).type(ErrorResponses.JSON).entity(body(code, message, target, resolution));
    }

    static ObjectNode body(String code, String message, String target, String resolution) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("target", target);
        error.putArray("details");
        if (resolution != null) {
            error.putArray("additionalInfo")
                    .addObject()
                    .put("type", "Resolution")
                    .putObject("info")
                    .put("resolution", resolution);
        }
        return root;
    }

    /** The domain names fields as the /api routes have them; here they sit under properties.details. */
    private static String target(String target) {
        if (target == null) {
            return null;
        }
        if (target.startsWith("kek") || target.startsWith("identityProperties") || target.equals("keyEncryptionKey")) {
            return JobRequests.KEK + (target.equals("keyEncryptionKey") ? "" : "." + target);
        }
        return target.equals("orderName") ? "jobName" : target;
    }
}
