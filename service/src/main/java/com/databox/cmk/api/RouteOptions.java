package com.databox.cmk.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
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
 * their {@link RouteTable} (since 2026-12-07), read after ARM's forms of their paths (without {@code /api}, fixed
 * segments in any case) are mapped onto them; a path of theirs that is no route answers {@code 404} in ARM's
 * envelope, as any other method there does (review rv11 M2).
 */
@Provider
@PreMatching
@Priority(RouteOptions.AFTER_PATHS_ARE_MAPPED)
public class RouteOptions implements ContainerRequestFilter {
    /** After the pre-matching filters that map a path onto its route (the jobs surface's ArmPaths). */
    public static final int AFTER_PATHS_ARE_MAPPED = Priorities.USER + 100;

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
        } else if (path.startsWith("/api/")) {
            request.abortWith(ErrorResponses.refusal(404, "There is no such route.", null));
        }
    }
}
