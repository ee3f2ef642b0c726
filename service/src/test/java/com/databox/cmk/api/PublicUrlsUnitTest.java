package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
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

    @Test
    void listenerNamesTheAddressTheAppListensOnWhateverItsPort() {
        PublicUrls urls = new PublicUrls(
                Optional.of(URI.create(PublicUrls.LISTENER)),
                Optional.empty(),
                Optional.empty(),
                () -> URI.create("http://127.0.0.1:31071"),
                Optional::empty);

        assertThat(urls.absolute("api/audits/run-1")).hasToString("http://127.0.0.1:31071/api/audits/run-1");
        assertThat(urls.arm("subscriptions/s")).hasToString("http://127.0.0.1:31071/subscriptions/s");
    }

    /**
     * Without the setting, the request's base as the platform in front of the app names it (on Lambda, API
     * Gateway's domain): every {@code Location} named the local run's address before (bug bash lp1 F1).
     */
    @Test
    void withoutTheSettingThePlatformsBaseOfTheRequest() {
        PublicUrls urls = new PublicUrls(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                () -> URI.create("http://127.0.0.1:31071"),
                () -> Optional.of(URI.create("https://abc.execute-api.eu-west-1.amazonaws.com/prod")));

        assertThat(urls.absolute("api/orders/o-1"))
                .hasToString("https://abc.execute-api.eu-west-1.amazonaws.com/prod/api/orders/o-1");
        assertThat(urls.arm("subscriptions/s"))
                .hasToString("https://abc.execute-api.eu-west-1.amazonaws.com/prod/subscriptions/s");
    }

    @Test
    void theSettingWinsOverThePlatformsBaseOfTheRequest() {
        PublicUrls urls = new PublicUrls(
                Optional.of(URI.create("https://cmk.contoso.com")),
                Optional.empty(),
                Optional.empty(),
                () -> URI.create("http://127.0.0.1:31071"),
                () -> Optional.of(URI.create("https://abc.execute-api.eu-west-1.amazonaws.com")));

        assertThat(urls.absolute("api/orders/o-1")).hasToString("https://cmk.contoso.com/api/orders/o-1");
    }

    /**
     * The README's run command and any start of the app on another port (the local profile) hand out the address
     * the app listens on: every {@code Location} named port 7071 before (bug bash of 2026-12-06, bb92 H3).
     */
    @Test
    void theLocalProfileHandsOutTheListenersAddressWithoutTheSetting() throws IOException {
        SmallRyeConfig local = new SmallRyeConfigBuilder()
                .withProfile("local")
                .withSources(new PropertiesConfigSource(
                        PublicUrlsUnitTest.class.getResource("/application.properties"), 100))
                .build();

        assertThat(local.getRawValue("cmk.public-base-url")).isEqualTo(PublicUrls.LISTENER);
    }
}
