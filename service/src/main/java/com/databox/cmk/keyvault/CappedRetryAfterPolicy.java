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
        boolean over = over(headers.getValue(HttpHeaderName.RETRY_AFTER))
                || overMillis(headers.getValue(RETRY_AFTER_MS))
                || overMillis(headers.getValue(X_MS_RETRY_AFTER_MS));
        if (!over) {
            return response;
        }
        HttpHeaders capped = new HttpHeaders(headers);
        capped.set(HttpHeaderName.RETRY_AFTER, Long.toString(Math.max(1, cap.toSeconds())));
        capped.remove(RETRY_AFTER_MS);
        capped.remove(X_MS_RETRY_AFTER_MS);
        return new WithHeaders(response, capped);
    }

    /** A value that cannot be read counts as over the cap, so that the cap applies to it. */
    private boolean over(String retryAfter) {
        if (retryAfter == null) {
            return false;
        }
        String value = retryAfter.trim();
        try {
            return Duration.ofSeconds(Long.parseLong(value)).compareTo(cap) > 0;
        } catch (NumberFormatException notSeconds) {
            try {
                OffsetDateTime at = OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return at.isAfter(OffsetDateTime.now().plus(cap));
            } catch (DateTimeParseException notADate) {
                return true;
            }
        }
    }

    private boolean overMillis(String millis) {
        if (millis == null) {
            return false;
        }
        try {
            return Duration.ofMillis(Long.parseLong(millis.trim())).compareTo(cap) > 0;
        } catch (NumberFormatException unreadable) {
            return true;
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
