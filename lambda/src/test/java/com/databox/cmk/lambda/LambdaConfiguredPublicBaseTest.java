package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The stack's PublicBaseUrl, where set, wins over the domain API Gateway names in the event. */
@QuarkusTest
@TestProfile(LambdaConfiguredPublicBaseTest.Configured.class)
@QuarkusTestResource(value = LambdaStack.class, restrictToAnnotatedClass = false)
class LambdaConfiguredPublicBaseTest {
    static final String CONFIGURED = "https://cmk.contoso.com";

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cmk.public-base-url", CONFIGURED);
        }
    }

    @Test
    void theConfiguredBaseWins() throws IOException {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);

        JsonNode created = LambdaScheduleEventsTest.invoke(
                LambdaPublicBaseTest.event("PUT", "/api/orders/" + order, "", "{\"location\":\"westus\"}")
                        .toString());

        assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(201);
        assertThat(LambdaPublicBaseTest.header(created, "Location")).isEqualTo(CONFIGURED + "/api/orders/" + order);
    }
}
