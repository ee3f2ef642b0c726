package com.databox.cmk.keyvault;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.databox.cmk.sdkhttp.ForwardingHttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import reactor.core.publisher.Mono;

/**
 * Caps the wait a vault's answer asks for ({@code Retry-After}, in seconds or as a date, and the
 * {@code retry-after-ms} spellings), before the SDK's retry policy reads it: a vault once asked for
 * 100 s, and the SDK waits whatever it is told (issue #15). It sits after the retry policy in the
 * pipeline, so it sees each attempt's answer first.
 */
final class CappedRetryAfterPolicy implements HttpPipelinePolicy {
    private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
    private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.fromString("x-ms-retry-after-ms");

    /**
     * The wait the vault asked for, in whole seconds, on an answer whose {@code Retry-After} was capped: the cap
     * is for the SDK's wait between its tries, and the service's own answer tells its caller what the vault
     * asked ({@link KeyVaultErrors}), so that a client does not come back into a throttle still running.
     */
    static final HttpHeaderName ASKED_RETRY_AFTER = HttpHeaderName.fromString("x-databox-cmk-asked-retry-after");

    private final Duration cap;

    CappedRetryAfterPolicy(Duration cap) {
        this.cap = cap;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return next.process().map(this::capped);
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        return capped(next.processSync());
    }

    HttpResponse capped(HttpResponse response) {
        HttpHeaders headers = response.getHeaders();
        Duration asked = longest(
                asked(headers.getValue(HttpHeaderName.RETRY_AFTER)),
                askedMillis(headers.getValue(RETRY_AFTER_MS)),
                askedMillis(headers.getValue(X_MS_RETRY_AFTER_MS)));
        if (asked == null || asked.compareTo(cap) <= 0) {
            return response;
        }
        HttpHeaders capped = new HttpHeaders(headers);
        capped.set(HttpHeaderName.RETRY_AFTER, Long.toString(Math.max(1, cap.toSeconds())));
        capped.remove(RETRY_AFTER_MS);
        capped.remove(X_MS_RETRY_AFTER_MS);
        if (!asked.equals(UNREADABLE)) {
            long seconds = asked.toSeconds() + (asked.toNanosPart() == 0 ? 0 : 1);
            capped.set(ASKED_RETRY_AFTER, Long.toString(seconds));
        }
        return new WithHeaders(response, capped);
    }

    /** A value that cannot be read: the cap applies to it, and no wait is told for it. */
    private static final Duration UNREADABLE = ChronoUnit.FOREVER.getDuration();

    private static Duration longest(Duration... asked) {
        Duration longest = null;
        for (Duration each : asked) {
            if (each != null && (longest == null || each.compareTo(longest) > 0)) {
                longest = each;
            }
        }
        return longest;
    }

    /** {@code Retry-After} in seconds or as a date; null without one. */
    private static Duration asked(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        String value = retryAfter.trim();
        try {
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            try {
                OffsetDateTime at = OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(OffsetDateTime.now(), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return UNREADABLE;
            }
        }
    }

    private static Duration askedMillis(String millis) {
        if (millis == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Long.parseLong(millis.trim()));
        } catch (NumberFormatException unreadable) {
            return UNREADABLE;
        }
    }

    /** The same answer with other headers. */
    private static final class WithHeaders extends ForwardingHttpResponse {
        private final HttpHeaders headers;

        WithHeaders(HttpResponse response, HttpHeaders headers) {
            super(response);
            this.headers = headers;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }
}
