package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review rv17: review rv16 L1 was mended for the built-in exceptions only (HttpsOnlyProxy matches 127.x.x.x and
 * 169.254.x.x by address). The exceptions an operator configures ({@code http.nonProxyHosts}, {@code NO_PROXY}) still
 * go to Vert.x as wildcards (SdkHttpClients.proxyOf), whose ProxyFilter leaves their dots unescaped: the JVM's own
 * {@code 127.*} (its default, and what an operator copies) then exempts a customer's vault named {@code 127data}, and
 * {@code *.internal.example.net} exempts {@code evilinternalxexample.net}. The JVM reads both as globs with literal
 * dots (neither host is exempt there), and CONFIGURATION.md says a host name such as {@code 127data…} takes the proxy.
 */
class ConfiguredNonProxyHostsUnitTest {
    @Test
    void aConfiguredWildcardExemptsOnlyHostsItNamesWithItsDots() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy()) {
            HttpClient client =
                    proxy.client(Map.of("http.nonProxyHosts", "localhost|127.*|[::1]|*.internal.example.net"));
            for (String host :
                    List.of("databox.vault.azure.net", "127data.vault.azure.net", "evilinternalxexample.net")) {
                RecordingProxy.get(client, "https://" + host + "/");
            }

            assertThat(proxy.seen())
                    .containsExactly(
                            "CONNECT databox.vault.azure.net:443",
                            "CONNECT 127data.vault.azure.net:443",
                            "CONNECT evilinternalxexample.net:443");
        }
    }
}
