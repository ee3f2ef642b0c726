package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bug bash sx1 (outbound request hygiene), B2: the token services' client (ServiceBeans.plainHttpClient) takes the
 * environment's proxy as the Key Vault client does (CONFIGURATION.md, cmk.keyvault.timeout). An HTTPS proxy configured
 * the JVM's way ({@code -Dhttps.proxyHost}, no {@code http.nonProxyHosts}) then also carries the plain-HTTP call to
 * App Service's loopback identity endpoint, with the platform's secret {@code X-IDENTITY-HEADER}, and the proxy's
 * answer is taken as the token. The JVM applies {@code https.proxyHost} to https URLs only, and never proxies
 * {@code localhost|127.*|[::1]} unless told to (its default {@code http.nonProxyHosts}).
 */
class IdentityEndpointProxyUnitTest {
    @Test
    void anHttpsProxyDoesNotCarryTheLoopbackIdentityEndpointsCall() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy()) {
            // App Service's identity endpoint (IDENTITY_ENDPOINT): plain HTTP on loopback, with its secret header.
            RecordingProxy.send(
                    proxy.client(Map.of()),
                    new HttpRequest(
                                    HttpMethod.GET,
                                    "http://127.0.0.1:9/msi/token?resource=https://vault.azure.net&api-version=2019-08-01")
                            .setHeader("X-IDENTITY-HEADER", "platform-secret"));

            assertThat(proxy.seen())
                    .as("calls the proxy received (an HTTPS proxy, for a plain-HTTP loopback call)")
                    .isEmpty();
        }
    }

    /**
     * What CONFIGURATION.md keeps (cmk.keyvault.timeout): a Key Vault call, https, still goes through the configured
     * proxy, while a plain-HTTP call to this machine does not.
     */
    @Test
    void anHttpsCallStillTakesTheProxy() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy()) {
            RecordingProxy.get(proxy.client(Map.of()), "https://contoso.vault.azure.net/keys/k");

            assertThat(proxy.seen()).containsExactly("CONNECT contoso.vault.azure.net:443");
        }
    }
}
