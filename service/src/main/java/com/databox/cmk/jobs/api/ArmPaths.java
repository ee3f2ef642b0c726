package com.databox.cmk.jobs.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * ARM paths as clients send them. The Functions host serves every HTTP function under its route
 * prefix {@code api} (host.json), so the jobs routes are {@code /api/subscriptions/…} there, and
 * an SDK's base URL is {@code https://{app}/api}. Reached directly (the handler without the host:
 * the local run, a reverse proxy that keeps ARM's paths), {@code /subscriptions/…/providers/Microsoft.DataBox/…}
 * is served too: this filter maps it onto the same routes and remembers it, so that links in
 * answers keep the caller's form. The fixed segments of ARM paths are matched ignoring case, as
 * ARM does (clients send {@code resourcegroups} too).
 */
@Provider
@PreMatching
@Priority(Priorities.USER) // before RouteOptions, which reads the route's methods from the mapped path
public class ArmPaths implements ContainerRequestFilter {
    /** Request property: the request came without the {@code /api} prefix. */
    static final String AT_ROOT = "com.databox.cmk.jobs.atRoot";

    private static final List<String> FIXED = List.of(
            "subscriptions",
            "resourceGroups",
            "providers",
            "Microsoft.DataBox",
            "jobs",
            "locations",
            "operationStatuses",
            "operationResults",
            "listCredentials",
            "cancel",
            "mitigate");

    @Override
    public void filter(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        boolean atRoot = startsWithIgnoreCase(path, "/subscriptions/");
        boolean underApi = startsWithIgnoreCase(path, "/api/subscriptions/");
        if (!atRoot && !underApi) {
            return;
        }
        String armPath = atRoot ? path : path.substring("/api".length());
        String canonical = canonical(armPath);
        if (canonical == null) {
            return;
        }
        if (atRoot) {
            request.setProperty(AT_ROOT, Boolean.TRUE);
        }
        if (atRoot || !canonical.equals(armPath)) {
            try {
                request.setRequestUri(
                        new URI(uri.getScheme(), uri.getRawAuthority(), "/api" + canonical, uri.getRawQuery(), null));
            } catch (URISyntaxException e) {
                // Leave the request as it came; it will not match a jobs route.
            }
        }
    }

    /** Whether the request came to an ARM path: a subscription's, or the provider's own. */
    static boolean isArmPath(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (path != null && startsWithIgnoreCase(path, "/api/")) {
            path = path.substring("/api".length());
        }
        return startsWithIgnoreCase(path, "/subscriptions/")
                || startsWithIgnoreCase(path, "/providers/Microsoft.DataBox");
    }

    /** The path with ARM's fixed segments in the spec's case, or null when it is no Microsoft.DataBox path. */
    static String canonical(String path) {
        String[] segments = path.split("/", -1);
        // "", subscriptions, {sub}, [resourceGroups, {rg},] providers, Microsoft.DataBox, …
        if (segments.length < 6 || !segments[1].equalsIgnoreCase("subscriptions")) {
            return null;
        }
        int providers = segments[3].equalsIgnoreCase("resourceGroups") ? 5 : 3;
        if (segments.length <= providers + 2
                || !segments[providers].equalsIgnoreCase("providers")
                || !segments[providers + 1].equalsIgnoreCase("Microsoft.DataBox")) {
            return null;
        }
        segments[1] = "subscriptions";
        if (providers == 5) {
            segments[3] = "resourceGroups";
        }
        // From "providers" on, every other segment is fixed: providers, Microsoft.DataBox, jobs|locations, {x},
        // action|…
        for (int i = providers; i < segments.length; i++) {
            boolean named = (i - providers) == 3 || (i - providers) == 5;
            if (!named) {
                for (String fixed : FIXED) {
                    if (fixed.equalsIgnoreCase(segments[i])) {
                        segments[i] = fixed;
                    }
                }
            }
        }
        return String.join("/", segments);
    }

    /** The resource types of Microsoft.DataBox this surface serves under a subscription or resource group. */
    private static final List<String> SERVED_TYPES = List.of("jobs", "locations");

    /**
     * The resource type a subscription's or resource group's Microsoft.DataBox path names when this surface serves
     * no such type ({@code widgets} in {@code …/providers/Microsoft.DataBox/widgets/w1}), decoded; null for any
     * other path. The provider's own paths ({@code /providers/Microsoft.DataBox/operations}) name no resource type.
     */
    static String unservedResourceType(String rawPath) {
        String path = startsWithIgnoreCase(rawPath, "/api/") ? rawPath.substring("/api".length()) : rawPath;
        String canonical = path == null ? null : canonical(path);
        if (canonical == null) {
            return null;
        }
        String[] segments = canonical.split("/", -1);
        String type = segments[segments[3].equals("resourceGroups") ? 7 : 5];
        String decoded;
        try {
            decoded = URLDecoder.decode(type.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncodedPlainly) {
            return null;
        }
        boolean served = SERVED_TYPES.stream().anyMatch(decoded::equalsIgnoreCase);
        return served || decoded.isEmpty() ? null : decoded;
    }

    private static boolean startsWithIgnoreCase(String value, String prefix) {
        return value != null && value.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
