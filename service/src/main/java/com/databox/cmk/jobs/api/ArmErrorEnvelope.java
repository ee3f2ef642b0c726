package com.databox.cmk.jobs.api;

import com.databox.cmk.api.ErrorJson;
import com.databox.cmk.jobs.JobErrorCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * ARM's error envelope for the refusals the HTTP layer makes before a jobs route runs (no such route or
 * method, a body too large or not JSON): they are made in the {@code /api} routes' shape, which an ARM
 * client reads without {@code details} or ARM's codes. No route for a resource type the surface does not
 * serve is ARM's {@code InvalidResourceType}, in ARM's words: a code saying the request's content was
 * invalid misled (bug bash bb84 F7).
 */
@Provider
public class ArmErrorEnvelope implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof ErrorJson refusal && ArmPaths.isArmPath(request)) {
            String type = response.getStatus() == 404
                    ? ArmPaths.unservedResourceType(
                            request.getUriInfo().getRequestUri().getRawPath())
                    : null;
            String version = request.getUriInfo().getQueryParameters().getFirst("api-version");
            if (type != null && version != null) {
                response.setEntity(ArmErrors.body(
                        JobErrorCode.InvalidResourceType.name(),
                        "The resource type '" + type + "' could not be found in the namespace 'Microsoft.DataBox' "
                                + "for api version '" + version + "'.",
                        null,
                        null));
                return;
            }
            ErrorJson.Detail error = refusal.error();
            response.setEntity(ArmErrors.body(
                    ArmErrors.armCode(error.code()), error.message(), error.target(), error.resolution()));
        }
    }
}
