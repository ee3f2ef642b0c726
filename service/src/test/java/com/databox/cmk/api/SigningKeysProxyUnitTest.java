package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.sdkhttp.DocumentGets;
import com.databox.cmk.sdkhttp.RecordingProxy;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bug bash sx4, 1: the tenants' signing keys were fetched with the JDK's {@code HttpURLConnection}, which takes the
 * JVM's {@code https.proxyHost} but neither {@code HTTPS_PROXY} (with {@code java.net.useSystemProxies=true}, the
 * JDK reads the desktop's settings on Linux, not the environment) nor a proxy's credentials, where every other
 * outbound call takes the proxy the Azure SDK's configuration gives (CONFIGURATION.md, {@code cmk.keyvault.timeout}).
 * Where a proxy is the only way out, no tenant's keys were fetched and every token answered 503.
 */
class SigningKeysProxyUnitTest {
    private static final String ENTRA_ID_KEYS = "https://login.microsoftonline.com/{tenantid}/discovery/v2.0/keys";
    private static final TenantId TENANT = new TenantId("72f988bf-86f1-41af-91ab-2d7cd011db47");

    private static Configuration configuration(Map<String, String> systemProperties, Map<String, String> environment) {
        ConfigurationSource none = path -> Map.of();
        return new ConfigurationBuilder(none, path -> systemProperties, path -> environment).build();
    }

    private static Throwable fetch(RecordingProxy proxy, String template, Configuration configuration) {
        SigningKeys keys = new SigningKeys(
                template, DocumentGets.create(proxy.vertx(), SigningKeys.TIMEOUT, configuration), Clock.systemUTC());
        return catchThrowable(() -> keys.fetch(TENANT));
    }

    @Test
    void theKeysAreFetchedThroughTheEnvironmentsHttpsProxy() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy()) {
            Throwable refused = fetch(
                    proxy,
                    ENTRA_ID_KEYS,
                    configuration(
                            Map.of("java.net.useSystemProxies", "true"),
                            Map.of("HTTPS_PROXY", "http://" + proxy.address())));

            assertThat(proxy.seen()).containsExactly("CONNECT login.microsoftonline.com:443");
            assertThat(refused)
                    .as("the proxy refuses the tunnel: no answer")
                    .isInstanceOf(SigningKeysUnavailable.class);
        }
    }

    @Test
    void theKeysAreFetchedThroughTheJvmsHttpsProxy() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy()) {
            String[] hostAndPort = proxy.address().split(":");
            fetch(
                    proxy,
                    ENTRA_ID_KEYS,
                    configuration(
                            Map.of("https.proxyHost", hostAndPort[0], "https.proxyPort", hostAndPort[1]), Map.of()));

            assertThat(proxy.seen()).containsExactly("CONNECT login.microsoftonline.com:443");
        }
    }

    @Test
    void aHostTheProxyDoesNotCarryAndPlainHttpAreFetchedDirectly() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy()) {
            Configuration environment = configuration(
                    Map.of("java.net.useSystemProxies", "true"),
                    Map.of("HTTPS_PROXY", "http://" + proxy.address(), "NO_PROXY", ".internal.example.net"));
            fetch(proxy, "https://keys.internal.example.net/{tenantid}/keys", environment);
            fetch(proxy, "http://keys.example.net/{tenantid}/keys", environment);

            assertThat(proxy.seen()).isEmpty();
        }
    }
}
