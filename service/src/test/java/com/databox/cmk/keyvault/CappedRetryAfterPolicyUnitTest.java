package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.databox.cmk.testing.StubResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class CappedRetryAfterPolicyUnitTest {
    private final CappedRetryAfterPolicy policy = new CappedRetryAfterPolicy(Duration.ofSeconds(5));

    private static String retryAfter(HttpResponse response) {
        return response.getHeaders().getValue(HttpHeaderName.RETRY_AFTER);
    }

    @Test
    void capsALongRetryAfterInSeconds() {
        assertThat(retryAfter(policy.capped(answer(new HttpHeaders().set(HttpHeaderName.RETRY_AFTER, "100")))))
                .isEqualTo("5");
    }

    @Test
    void keepsAShortRetryAfter() {
        HttpResponse response = answer(new HttpHeaders().set(HttpHeaderName.RETRY_AFTER, "2"));
        assertThat(policy.capped(response)).isSameAs(response);
    }

    @Test
    void capsADateAndTheMillisecondSpellings() {
        String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));
        assertThat(retryAfter(policy.capped(answer(new HttpHeaders().set(HttpHeaderName.RETRY_AFTER, inAnHour)))))
                .isEqualTo("5");
        HttpResponse capped = policy.capped(answer(new HttpHeaders().set("x-ms-retry-after-ms", "100000")));
        assertThat(retryAfter(capped)).isEqualTo("5");
        assertThat(capped.getHeaders().getValue(HttpHeaderName.fromString("x-ms-retry-after-ms")))
                .isNull();
        assertThat(capped.getStatusCode()).isEqualTo(429);
    }

    private static HttpResponse answer(HttpHeaders headers) {
        return new StubResponse(new HttpRequest(HttpMethod.GET, "https://v.vault.azure.net/keys/k"), 429, headers, "");
    }
}
