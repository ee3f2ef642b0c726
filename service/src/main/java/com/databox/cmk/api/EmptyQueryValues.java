package com.databox.cmk.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A paging parameter sent with no value ({@code ?top=}, {@code ?$skipToken=}) is refused: the routes
 * read it as absent, so a client whose page size or continuation was lost on the way got the default
 * page size, or the first page again, as if it were what it asked for.
 */
@Provider
@PreMatching
public class EmptyQueryValues implements ContainerRequestFilter {
    private static final Set<String> PAGING = Set.of("top", "$top", "$skipToken");

    @Override
    public void filter(ContainerRequestContext request) {
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query == null) {
            return;
        }
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            String name = decoded(equals < 0 ? parameter : parameter.substring(0, equals));
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            if (PAGING.contains(name) && value.isEmpty()) {
                request.abortWith(
                        ErrorResponses.refusal(400, "'" + name + "' has no value: give one, or leave it out.", name));
                return;
            }
        }
    }

    private static String decoded(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return name;
        }
    }
}
