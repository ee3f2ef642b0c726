package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** The servers the served OpenAPI document names: where its clients are to call the app. */
class StoredOpenApiDocumentUnitTest {
    private static final String LOCAL_RUN = "http://127.0.0.1:7071";

    private static Config config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder().withDefaultValues(settings).build();
    }

    @Test
    void theConfiguredPublicBaseUrlsServersAsBuilt() {
        assertThat(StoredOpenApiDocument.servers(config(Map.of(
                        "mp.openapi.servers", "https://cmk.example.net",
                        "cmk.public-base-url", "https://cmk.example.net",
                        "cmk.platform-host-name", "my-app.azurewebsites.net"))))
                .containsExactly("https://cmk.example.net");
    }

    /** Bug bash bb95 M6: a function app without CMK_PUBLIC_BASE_URL named the local run in its document. */
    @Test
    void aFunctionAppWithoutThePublicBaseUrlNamesItsOwnAddressAsItsLocationsDo() {
        assertThat(StoredOpenApiDocument.servers(config(
                        Map.of("mp.openapi.servers", LOCAL_RUN, "cmk.platform-host-name", "my-app.azurewebsites.net"))))
                .containsExactly("https://my-app.azurewebsites.net");
    }

    @Test
    void theLocalRunNamesItself() {
        assertThat(StoredOpenApiDocument.servers(config(Map.of("mp.openapi.servers", LOCAL_RUN))))
                .containsExactly(LOCAL_RUN);
    }
}
