package com.databox.cmk.functions;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The routes the app's JAX-RS resources serve, read from their annotations. */
final class ServedRoutes {

    /** A resource method and the route it serves. */
    record ServedRoute(FunctionApp.HttpRoute route, String javaMethod, String javaPackage) {}

    /** Every resource method of the app's main code whose route lies under /api. */
    static List<ServedRoute> underApi() {
        List<ServedRoute> routes = new ArrayList<>();
        for (JavaClass resource : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.databox.cmk")) {
            String classPath =
                    resource.tryGetAnnotationOfType(Path.class).map(Path::value).orElse(null);
            if (classPath == null) {
                continue;
            }
            for (JavaMethod method : resource.getMethods()) {
                Optional<String> httpMethod = httpMethod(method);
                if (httpMethod.isEmpty()) {
                    continue;
                }
                String methodPath = method.tryGetAnnotationOfType(Path.class)
                        .map(Path::value)
                        .orElse("");
                String template = FunctionApp.HttpRoute.normalise(classPath + "/" + methodPath);
                if (template.equals(FunctionApp.ROUTE_PREFIX) || template.startsWith(FunctionApp.ROUTE_PREFIX + "/")) {
                    routes.add(new ServedRoute(
                            new FunctionApp.HttpRoute(httpMethod.get(), template),
                            resource.getSimpleName() + "." + method.getName(),
                            resource.getPackageName()));
                }
            }
        }
        return routes;
    }

    /** GET, POST, … are themselves annotated with {@code @HttpMethod("GET")}. */
    private static Optional<String> httpMethod(JavaMethod method) {
        for (JavaAnnotation<JavaMethod> annotation : method.getAnnotations()) {
            Optional<HttpMethod> designator = annotation.getRawType().tryGetAnnotationOfType(HttpMethod.class);
            if (designator.isPresent()) {
                return Optional.of(designator.get().value());
            }
        }
        return Optional.empty();
    }

    private ServedRoutes() {}
}
