package com.databox.cmk.app;

import com.databox.cmk.api.PublicUrls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Serves {@code /q/openapi} (and .json, .yaml, .yml; ?format=json or Accept: application/json for
 * JSON, YAML otherwise, as Quarkus does) from the document Quarkus built at build time, read on the
 * first request: nothing of it on the start path. The packaged app's build moves the document
 * out of Quarkus' reach ({@link #PACKAGED}; service/pom.xml, assemble-function-app), so that
 * Quarkus does not parse and serialise it again at every start; where it was left in place (tests,
 * native) it is read from Quarkus' own resource. The servers are the running app's
 * ({@code mp.openapi.servers}, from CMK_PUBLIC_BASE_URL), as in the document Quarkus would serve.
 */
@ApplicationScoped
public class StoredOpenApiDocument {
    static final String PACKAGED = "META-INF/databox-cmk/openapi.";
    private static final String QUARKUS = "META-INF/quarkus-generated-openapi-doc.";
    private static final List<String> PATHS =
            List.of("/q/openapi", "/q/openapi.json", "/q/openapi.yaml", "/q/openapi.yml");

    private volatile Documents documents;

    private record Documents(byte[] json, byte[] yaml) {}

    void route(@Observes Router router) {
        for (String path : PATHS) {
            // Ahead of the extension's own route for the same path.
            router.route(path).order(-100).handler(this::handle);
        }
    }

    private void handle(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (method.equals(HttpMethod.OPTIONS)) {
            context.response().putHeader("Allow", "GET, HEAD, OPTIONS").end();
            return;
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            context.next();
            return;
        }
        boolean json = json(context);
        context.vertx()
                .executeBlocking(() -> json ? documents().json() : documents().yaml())
                .onSuccess(body -> context.response()
                        .putHeader("Content-Type", (json ? "application/json" : "application/yaml") + ";charset=UTF-8")
                        .end(io.vertx.core.buffer.Buffer.buffer(body)))
                .onFailure(context::fail);
    }

    private static boolean json(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.endsWith(".json")) {
            return true;
        }
        if (path.endsWith(".yaml") || path.endsWith(".yml")) {
            return false;
        }
        String accept = context.request().getHeader("Accept");
        List<String> format = context.queryParam("format");
        return (accept != null && accept.contains("application/json"))
                || (!format.isEmpty() && "json".equalsIgnoreCase(format.getFirst()));
    }

    /** The document as JSON, as {@code /q/openapi?format=json} serves it (read on the first call). */
    public byte[] json() {
        return documents().json();
    }

    private Documents documents() {
        Documents read = documents;
        if (read == null) {
            synchronized (this) {
                if (documents == null) {
                    documents = load();
                }
                read = documents;
            }
        }
        return read;
    }

    private static Documents load() {
        byte[] json =
                resource(PACKAGED + "json").or(() -> resource(QUARKUS + "JSON")).orElseThrow();
        byte[] yaml =
                resource(PACKAGED + "yaml").or(() -> resource(QUARKUS + "YAML")).orElseThrow();
        List<String> servers = servers(ConfigProvider.getConfig());
        try {
            ObjectMapper jsonMapper = new ObjectMapper();
            JsonNode document = jsonMapper.readTree(json);
            List<String> built = new ArrayList<>();
            document.path("servers")
                    .forEach(server -> built.add(server.path("url").asText()));
            if (servers.isEmpty() || servers.equals(built)) {
                return new Documents(json, yaml);
            }
            // Built where CMK_PUBLIC_BASE_URL was another one: the running app's servers instead.
            YAMLMapper yamlMapper = new YAMLMapper();
            JsonNode yamlDocument = yamlMapper.readTree(yaml);
            withServers((ObjectNode) document, servers);
            withServers((ObjectNode) yamlDocument, servers);
            return new Documents(
                    jsonMapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(document),
                    yamlMapper.writeValueAsBytes(yamlDocument));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code mp.openapi.servers} ({@code CMK_PUBLIC_BASE_URL}'s); on a function app without that setting, its own
     * address, as its {@code Location}s give it: the document named the local run's {@code http://127.0.0.1:7071},
     * which a client generated from it, or a connector imported from it, would call (bug bash bb95 M6).
     */
    static List<String> servers(Config config) {
        Optional<String> platformHost =
                config.getOptionalValue("cmk.platform-host-name", String.class).filter(host -> !host.isBlank());
        if (config.getOptionalValue("cmk.public-base-url", String.class).isEmpty() && platformHost.isPresent()) {
            return List.of(PublicUrls.publicBase(Optional.empty(), platformHost));
        }
        return config.getOptionalValues("mp.openapi.servers", String.class).orElse(List.of());
    }

    private static void withServers(ObjectNode document, List<String> servers) {
        ArrayNode list = document.putArray("servers");
        servers.forEach(url -> list.addObject().put("url", url));
    }

    private static Optional<byte[]> resource(String name) {
        try (InputStream in = StoredOpenApiDocument.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
