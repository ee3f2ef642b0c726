package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configured exceptions to the proxy, read as the JVM and curl read them (review rv17 L1). */
class NonProxyHostsUnitTest {
    private static final ConfigurationSource NONE = path -> Map.of();

    @Test
    void theJvmsNonProxyHostsAreGlobsWithLiteralDots() {
        Pattern hosts = NonProxyHosts.of(new ConfigurationBuilder(
                                NONE,
                                path -> Map.of("http.nonProxyHosts", "localhost|127.*|[::1]|*.internal.example.net"),
                                NONE)
                        .build())
                .orElseThrow();

        assertThat(List.of("localhost", "127.0.0.1", "[::1]", "a.internal.example.net", "B.Internal.Example.NET"))
                .allMatch(host -> hosts.matcher(host).matches());
        assertThat(List.of("127data.vault.azure.net", "evilinternalxexample.net", "1", ":", "internal.example.net"))
                .noneMatch(host -> hosts.matcher(host).matches());
    }

    @Test
    void noProxyNamesADomainAndEveryNameBelowIt() {
        Pattern hosts = NonProxyHosts.of(new ConfigurationBuilder(
                                NONE,
                                path -> Map.of("java.net.useSystemProxies", "true"),
                                path -> Map.of("NO_PROXY", "localhost, .internal.example.net,corp.example.com"))
                        .build())
                .orElseThrow();

        assertThat(List.of("localhost", "internal.example.net", "a.internal.example.net", "x.corp.example.com"))
                .allMatch(host -> hosts.matcher(host).matches());
        assertThat(List.of("evilinternal.example.net", "corp.example.com.evil.net", "notlocalhost"))
                .noneMatch(host -> hosts.matcher(host).matches());
    }

    @Test
    void noExceptionsConfiguredIsNone() {
        assertThat(NonProxyHosts.of(new ConfigurationBuilder(NONE, NONE, NONE).build()))
                .isEmpty();
    }
}
