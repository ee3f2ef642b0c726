package com.databox.cmk.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.SeenSecrets;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * An operator who turns on DEBUG for the REST layer to find out why requests answer 400 (the usual first
 * step) must not get device passwords in the log. A password sent without its quotes (a script's quoting
 * mistake) fails to parse, and the framework logged the parser's message at DEBUG, which quotes the token:
 * the whole password when its special characters are only {@code $} and {@code _} (bug bash of 2026-12-06,
 * secrecy F1). {@link SecretLeakTest} scans the same log for it after the suite.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class DebugLoggingLeakTest {
    private static final List<String> REST_LAYER =
            List.of("org.jboss.resteasy.reactive", "io.quarkus.resteasy.reactive");

    @Test
    void aPasswordSentWithoutQuotesIsNotLoggedWhenTheRestLayerLogsAtDebug() throws IOException {
        String password =
                "Kx9$Tw4_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        SeenSecrets.record(password);
        List<Level> before = REST_LAYER.stream()
                .map(name -> Logger.getLogger(name).getLevel())
                .toList();
        REST_LAYER.forEach(name -> Logger.getLogger(name).setLevel(org.jboss.logmanager.Level.DEBUG));
        try {
            given().contentType("application/json")
                    .body("{\"location\":\"westus\",\"devicePassword\":" + password + "}")
                    .put(
                            "/api/orders/{name}",
                            "leak-" + UUID.randomUUID().toString().substring(0, 8))
                    .then()
                    .statusCode(400)
                    .body("error.code", equalTo("InvalidRequest"));
        } finally {
            for (int i = 0; i < REST_LAYER.size(); i++) {
                Logger.getLogger(REST_LAYER.get(i)).setLevel(before.get(i));
            }
        }
        assertThat(Files.readString(SeenSecrets.appLog(), StandardCharsets.UTF_8))
                .doesNotContain(password);
    }
}
