package com.databox.cmk.sdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.Context;
import com.databox.cmk.testing.StubResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Bug bash sx1 B2: the JVM's {@code https.proxyHost} is for {@code https:} URLs, but a Vert.x client's proxy carried
 * every call, plain HTTP too (an identity endpoint's, with its secret header): a client with a proxy sends only its
 * {@code https:} calls through it.
 */
class HttpsOnlyProxyUnitTest {
    private final List<String> proxied = new CopyOnWriteArrayList<>();
    private final List<String> direct = new CopyOnWriteArrayList<>();
    private final HttpClient client = new HttpsOnlyProxy(recording(proxied), recording(direct), Optional.empty());

    @Test
    void onlyHttpsCallsGoThroughTheProxy() {
        client.send(new HttpRequest(HttpMethod.GET, "https://contoso.vault.azure.net/keys/k"))
                .block();
        client.send(new HttpRequest(HttpMethod.GET, "HTTPS://contoso.vault.azure.net/keys/k2"), Context.NONE)
                .block();
        client.send(new HttpRequest(HttpMethod.GET, "http://10.0.0.5:8081/msi/token"))
                .block();
        client.sendSync(new HttpRequest(HttpMethod.GET, "http://azurite.internal:10001/queue"), Context.NONE);

        assertThat(proxied)
                .containsExactly("https://contoso.vault.azure.net/keys/k", "https://contoso.vault.azure.net/keys/k2");
        assertThat(direct).containsExactly("http://10.0.0.5:8081/msi/token", "http://azurite.internal:10001/queue");
    }

    /**
     * This machine's and link-local addresses never take the proxy, by address; a host name that only starts with
     * their digits does (review rv16 L1: Vert.x's wildcard {@code 127.*} let {@code 127data…} around it).
     */
    @Test
    void loopbackAndLinkLocalAddressesGoDirectlyHostNamesLikeThemThroughTheProxy() {
        for (String url : List.of(
                "https://127.0.0.1:20001/keys/k",
                "https://127.12.0.9/x",
                "https://169.254.169.254/metadata",
                "https://127data.table.core.windows.net/t",
                "https://1690254x.blob.core.windows.net/b",
                "https://127.0.0.1.evil.example/x",
                "https://127.999.0.1/x",
                "https://LOCALHOST:8443/x")) {
            client.send(new HttpRequest(HttpMethod.GET, url)).block();
        }

        assertThat(direct)
                .containsExactly(
                        "https://127.0.0.1:20001/keys/k",
                        "https://127.12.0.9/x",
                        "https://169.254.169.254/metadata",
                        "https://LOCALHOST:8443/x");
        assertThat(proxied)
                .containsExactly(
                        "https://127data.table.core.windows.net/t",
                        "https://1690254x.blob.core.windows.net/b",
                        "https://127.0.0.1.evil.example/x",
                        "https://127.999.0.1/x");
    }

    private static HttpClient recording(List<String> seen) {
        return request -> {
            seen.add(request.getUrl().toString());
            return Mono.just(new StubResponse(request, 200, new HttpHeaders(), ""));
        };
    }
}
