package com.databox.cmk.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import java.util.Set;

/**
 * {@code OPTIONS} on a route answers the methods that route takes (RFC 9110, 9.3.7), the list a {@code 405}
 * names. RESTEasy's own answer listed every method of the route's resource class: {@code POST} and
 * {@code PATCH} for {@code /api/orders/{name}}, which takes {@code GET} and {@code PUT}. As before, no token
 * is needed: the methods are the OpenAPI document's. A path of this surface that is no route answers {@code
 * 404}, as any other method there does; RESTEasy answered it {@code 200} with its resource class's methods (bug
 * bash of 2026-12-06, contract F2). The Microsoft.DataBox/jobs routes, not in the document, are named by
 * their {@link RouteTable} (since 2026-12-07); a path of theirs that is no route is left to that surface's own
 * {@code 404}.
 */
@Provider
@PreMatching
public class RouteOptions implements ContainerRequestFilter {
    private static final String JOBS = "/api/subscriptions/";

    @Inject
    RouteMethods routeMethods;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        String path = request.getUriInfo().getPath();
        Optional<Set<String>> methods = routeMethods.allowed(path);
        if (methods.isPresent()) {
            request.abortWith(Response.ok()
                    .header(HttpHeaders.ALLOW, RouteMethods.allowHeader(methods.get()))
                    .build());
        } else if (path.startsWith("/api/") && !path.regionMatches(true, 0, JOBS, 0, JOBS.length())) {
            request.abortWith(ErrorResponses.refusal(404, "There is no such route.", null));
        }
    }
}
