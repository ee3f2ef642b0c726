package com.databox.cmk.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The route table the 405s and OPTIONS of the jobs surface read says what the resource's annotations say. */
class JobRoutesUnitTest {

    @Test
    void namesEveryRouteOfTheResourceWithItsMethods() {
        String base = JobsResource.class.getAnnotation(Path.class).value();
        Map<String, Set<String>> annotated = new HashMap<>();
        for (Method method : JobsResource.class.getDeclaredMethods()) {
            Path path = method.getAnnotation(Path.class);
            for (Annotation annotation : method.getAnnotations()) {
                HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
                if (http != null) {
                    annotated
                            .computeIfAbsent(base + (path == null ? "" : path.value()), p -> new HashSet<>())
                            .add(http.value());
                }
            }
        }
        assertThat(annotated).isNotEmpty();
        assertThat(new JobRoutes().routes()).isEqualTo(annotated);
    }
}
