package com.databox.cmk.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Query parameters the routes would read silently in a way the client did not mean are refused:
 * <ul>
 *   <li>a paging parameter sent with no value ({@code ?top=}, {@code ?$skipToken=}): the routes read it as
 *       absent, so a client whose page size or continuation was lost on the way got the default page size, or
 *       the first page again, as if it were what it asked for;
 *   <li>a parameter named twice ({@code ?api-version=2022-12-01&api-version=2019-01-01}): the routes took
 *       the first, so the same two values in the other order were answered otherwise (since 2026-12-06), as a
 *       member named twice in a body or two {@code Authorization} headers are refused.
 * </ul>
 * Names are compared whatever their case, as the routes read them ({@code ?TOP=3} is {@code top}, as ARM's
 * clients expect): {@code ?top=1&TOP=3} passed as two names, and the first was taken (bug bash of 2026-12-06,
 * contract F1).
 */
@Provider
@PreMatching
public class QueryParameters implements ContainerRequestFilter {
    private static final Set<String> PAGING = Set.of("top", "$top", "$skiptoken");

    @Override
    public void filter(ContainerRequestContext request) {
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query == null) {
            return;
        }
        Set<String> named = new HashSet<>();
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            String name = decoded(equals < 0 ? parameter : parameter.substring(0, equals));
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            String sameName = name.toLowerCase(Locale.ROOT);
            if (PAGING.contains(sameName) && value.isEmpty()) {
                request.abortWith(
                        ErrorResponses.refusal(400, "'" + name + "' has no value: give one, or leave it out.", name));
                return;
            }
            if (!name.isEmpty() && !named.add(sameName)) {
                request.abortWith(ErrorResponses.refusal(400, "'" + name + "' is given twice: give it once.", name));
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
