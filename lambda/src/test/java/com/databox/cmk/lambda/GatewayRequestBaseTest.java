package com.databox.cmk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The base API Gateway's event names: its domain, and a named stage's segment, which stays in the served path. */
class GatewayRequestBaseTest {
    private static final String DOMAIN = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";

    @Test
    void theDefaultStageIsServedAtTheDomainsRoot() {
        assertThat(GatewayRequestBase.base(DOMAIN, "$default")).contains(URI.create("https://" + DOMAIN));
    }

    @Test
    void aNamedStageKeepsItsSegment() {
        assertThat(GatewayRequestBase.base(DOMAIN, "prod")).contains(URI.create("https://" + DOMAIN + "/prod"));
    }

    @Test
    void noDomainOrOneApiGatewayWouldNotSendNamesNone() {
        assertThat(GatewayRequestBase.base(null, "$default")).isEmpty();
        assertThat(GatewayRequestBase.base("evil.example/x?", "$default")).isEqualTo(Optional.empty());
        assertThat(GatewayRequestBase.base(DOMAIN, "a/b")).isEmpty();
    }
}
