package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The base API Gateway's event names: its domain, and a named stage's segment where the served path holds it. */
class GatewayRequestBaseTest {
    private static final String DOMAIN = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";

    @Test
    void theDefaultStageIsServedAtTheDomainsRoot() {
        assertThat(GatewayStage.segment(DOMAIN, "$default", "/api/orders")).isEmpty();
        assertThat(GatewayRequestBase.base(DOMAIN, Optional.empty())).contains(URI.create("https://" + DOMAIN));
    }

    @Test
    void aNamedStageKeepsItsSegment() {
        assertThat(GatewayStage.segment(DOMAIN, "prod", "/prod/api/orders")).contains("/prod");
        assertThat(GatewayRequestBase.base(DOMAIN, Optional.of("/prod")))
                .contains(URI.create("https://" + DOMAIN + "/prod"));
    }

    /** A custom domain's mapping selects the stage, whose segment is then not in the path. */
    @Test
    void aNamedStageWhosePathDoesNotHoldItHasNoSegment() {
        assertThat(GatewayStage.segment(DOMAIN, "prod", "/api/orders")).isEmpty();
        assertThat(GatewayStage.segment(DOMAIN, "prod", "/production/api/orders"))
                .isEmpty();
        assertThat(GatewayStage.segment(DOMAIN, "a/b", "/a/b/api/orders")).isEmpty();
        // A custom domain's stage named as the routes' first segment (review rv17 L4: /api was cut).
        assertThat(GatewayStage.segment("cmk.contoso.com", "api", "/api/orders"))
                .isEmpty();
    }

    @Test
    void noDomainOrOneApiGatewayWouldNotSendNamesNone() {
        assertThat(GatewayRequestBase.base(null, Optional.empty())).isEmpty();
        assertThat(GatewayRequestBase.base("evil.example/x?", Optional.empty())).isEmpty();
    }
}
