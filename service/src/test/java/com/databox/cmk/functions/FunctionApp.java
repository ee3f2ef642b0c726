package com.databox.cmk.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The function app as the Azure Functions host reads it: host.json and every function.json. */
final class FunctionApp {
    static final Path HOST_JSON = Path.of("host.json");
    static final Path LOCAL_SETTINGS = Path.of("local.settings.json");
    static final Path FUNCTIONS = Path.of("src/main/functions");
    /** The host's default, which host.json restates; forwarded requests keep it in their path. */
    static final String ROUTE_PREFIX = "api";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One function folder: its name (the folder's) and its bindings. */
    record Function(String name, JsonNode bindings) {
        JsonNode trigger() {
            return stream()
                    .filter(binding -> binding.path("type").asText().endsWith("Trigger"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + "/function.json has no trigger binding"));
        }

        boolean isHttp() {
            return "httpTrigger".equals(trigger().path("type").asText());
        }

        Stream<JsonNode> stream() {
            return java.util.stream.StreamSupport.stream(bindings.spliterator(), false);
        }
    }

    /** An HTTP function's route as served by the app: method and template under /api. */
    record HttpRoute(String method, String template) {
        static HttpRoute of(Function function) {
            JsonNode trigger = function.trigger();
            JsonNode methods = trigger.path("methods");
            if (methods.size() != 1) {
                throw new AssertionError(function.name() + " must take exactly one method, has " + methods);
            }
            return new HttpRoute(
                    methods.get(0).asText().toUpperCase(Locale.ROOT),
                    normalise(ROUTE_PREFIX + "/" + trigger.path("route").asText()));
        }

        /** "/api//orders/{orderName: [a-z]+}/" → "api/orders/{orderName}". */
        static String normalise(String path) {
            String withoutRegex = path.replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
            return withoutRegex.replaceAll("/+", "/").replaceAll("^/|/$", "");
        }

        @Override
        public String toString() {
            return method + " /" + template;
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + json, e);
        }
    }

    static List<Function> functions() {
        try (Stream<Path> folders = Files.list(FUNCTIONS)) {
            return folders.filter(Files::isDirectory)
                    .sorted()
                    .map(folder -> new Function(
                            folder.getFileName().toString(),
                            read(folder.resolve("function.json")).path("bindings")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Function> httpFunctions() {
        return functions().stream().filter(Function::isHttp).toList();
    }

    static Function function(String name) {
        return functions().stream()
                .filter(function -> function.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No function " + name + " in " + FUNCTIONS));
    }

    private FunctionApp() {}
}
