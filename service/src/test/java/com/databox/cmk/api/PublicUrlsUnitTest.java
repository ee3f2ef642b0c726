package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the URLs the service hands out start: the setting, else the Functions platform's host name, else the local run. */
class PublicUrlsUnitTest {
    @Test
    void theSettingWins() {
        assertThat(PublicUrls.publicBase(
                        Optional.of(URI.create("https://cmk.contoso.com")), Optional.of("my-app.azurewebsites.net")))
                .isEqualTo("https://cmk.contoso.com");
    }

    @Test
    void withoutTheSettingAFunctionAppHandsOutItsOwnAddressNotTheLocalRuns() {
        assertThat(PublicUrls.publicBase(Optional.empty(), Optional.of("my-app.azurewebsites.net")))
                .isEqualTo("https://my-app.azurewebsites.net");
    }

    @Test
    void theLocalRunNeedsNeither() {
        assertThat(PublicUrls.publicBase(Optional.empty(), Optional.empty())).isEqualTo("http://127.0.0.1:7071");
    }
}
