package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review rv16 L1: this machine's and link-local addresses were kept off the proxy as Vert.x non-proxy hosts, "127.*"
 * and "169.254.*", which Vert.x turns into regular expressions without escaping their dots: any host name starting
 * with "127" and one more character, such as a storage account named 127data..., went around the proxy too. They are
 * matched as addresses now (HttpsOnlyProxy).
 */
class NeverProxiedPatternUnitTest {
    @Test
    void aHostNameThatMerelyStartsWith127StillTakesTheProxy() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy()) {
            HttpClient client = proxy.client(Map.of());
            for (String host : List.of("127data.table.core.windows.net", "1690254x.blob.core.windows.net")) {
                RecordingProxy.get(client, "https://" + host + "/");
            }

            assertThat(proxy.seen())
                    .containsExactly(
                            "CONNECT 127data.table.core.windows.net:443", "CONNECT 1690254x.blob.core.windows.net:443");
        }
    }
}
