package com.databox.cmk.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * {@code OPTIONS} on a route answers the methods that route takes (RFC 9110, 9.3.7), the list a {@code 405}
 * names. RESTEasy's own answer listed every method of the route's resource class: {@code POST} and
 * {@code PATCH} for {@code /api/orders/{name}}, which takes {@code GET} and {@code PUT}. As before, no token
 * is needed: the methods are the OpenAPI document's.
 */
@Provider
@PreMatching
public class RouteOptions implements ContainerRequestFilter {
    @Inject
    RouteMethods routeMethods;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        routeMethods
                .allowed(request.getUriInfo().getPath())
                .ifPresent(methods -> request.abortWith(Response.ok()
                        .header(HttpHeaders.ALLOW, RouteMethods.allowHeader(methods))
                        .build()));
    }
}
