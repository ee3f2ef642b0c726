package com.databox.cmk.jobs.api;

import com.databox.cmk.api.ErrorJson;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * ARM's error envelope for the refusals the HTTP layer makes before a jobs route runs (no such route or
 * method, a body too large or not JSON): they are made in the {@code /api} routes' shape, which an ARM
 * client reads without {@code details} or ARM's codes.
 */
@Provider
public class ArmErrorEnvelope implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof ErrorJson refusal && ArmPaths.isArmPath(request)) {
            ErrorJson.Detail error = refusal.error();
            response.setEntity(ArmErrors.body(
                    ArmErrors.armCode(error.code()), error.message(), error.target(), error.resolution()));
        }
    }
}
