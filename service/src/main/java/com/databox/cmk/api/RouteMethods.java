package com.databox.cmk.api;

import com.databox.cmk.app.StoredOpenApiDocument;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each route takes, as the OpenAPI document built from the resources lists them (read on the first
 * refusal that needs it, never on the start path): a {@code 405} names them in {@code Allow} (RFC 9110,
 * 15.5.6), which RESTEasy's refusal does not carry, and a route asked with a method it does not take answers
 * {@code 405} rather than RESTEasy's {@code 404} where another route of the same resource had no such method;
 * {@code OPTIONS} answers them too ({@link RouteOptions}).
 */
@ApplicationScoped
public class RouteMethods {
    private record Route(Pattern path, Set<String> methods) {}

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "patch", "delete");

    @Inject
    StoredOpenApiDocument document;

    @Inject
    Instance<RouteTable> otherSurfaces;

    private volatile List<Route> routes;

    /** The methods {@code path} (as the request named it, from the root) takes, if it is a route. */
    public Optional<Set<String>> allowed(String path) {
        for (Route route : routes()) {
            if (route.path().matcher(path).matches()) {
                return Optional.of(route.methods());
            }
        }
        return Optional.empty();
    }

    /** The methods as {@code Allow} names them, in one order whatever the document's. */
    public static String allowHeader(Set<String> methods) {
        return String.join(", ", new TreeSet<>(methods));
    }

    private List<Route> routes() {
        List<Route> read = routes;
        if (read == null) {
            List<Route> all = new ArrayList<>(read(document.json()));
            otherSurfaces.forEach(table ->
                    table.routes().forEach((path, methods) -> all.add(new Route(template(path), served(methods)))));
            read = List.copyOf(all);
            routes = read;
        }
        return read;
    }

    static List<Route> read(byte[] json) {
        JsonNode paths;
        try {
            paths = new ObjectMapper().readTree(json).path("paths");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Route> routes = new ArrayList<>();
        paths.fields().forEachRemaining(path -> {
            Set<String> methods = new LinkedHashSet<>();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (HTTP_METHODS.contains(method)) {
                    methods.add(method.toUpperCase(Locale.ROOT));
                }
            });
            routes.add(new Route(template(path.getKey()), served(methods)));
        });
        return List.copyOf(routes);
    }

    /** The methods a route's operations take, with what the server adds: HEAD where GET is, and OPTIONS. */
    private static Set<String> served(Set<String> methods) {
        Set<String> served = new LinkedHashSet<>(methods);
        if (served.contains("GET")) {
            served.add("HEAD");
        }
        served.add("OPTIONS");
        return Set.copyOf(served);
    }

    /** A path template's {parameters} match one segment each; the rest is literal. */
    private static Pattern template(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
