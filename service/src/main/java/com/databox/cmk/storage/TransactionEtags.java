package com.databox.cmk.storage;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The ETag of each entity an entity-group transaction wrote, read from the batch's own answer. Table
 * Storage (and Azurite) answer each sub-request with its entity's new ETag, but the Tables SDK for Java
 * (12.5.9) leaves the sub-responses' headers empty, so without this policy every write was followed by a
 * read of the order only to learn its ETag (issue 16). The policy acts only on a call whose {@link Context}
 * carries a {@link Sink} ({@link #context}); every other call goes through untouched.
 */
public final class TransactionEtags implements HttpPipelinePolicy {
    private static final String SINK_KEY = "databox-cmk-transaction-etags";

    /** Where one transaction's ETags are put, in the order of its actions. */
    static final class Sink {
        private volatile List<String> etags = List.of();

        List<String> etags() {
            return etags;
        }
    }

    static Context context(Sink sink) {
        return new Context(SINK_KEY, sink);
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        Optional<Sink> sink = sink(context);
        if (sink.isEmpty()) {
            return next.process();
        }
        return next.process().flatMap(response -> {
            HttpResponse buffered = response.buffer();
            return buffered.getBodyAsString().defaultIfEmpty("").map(body -> {
                sink.get().etags = subResponseEtags(body);
                return buffered;
            });
        });
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        Optional<Sink> sink = sink(context);
        HttpResponse response = next.processSync();
        if (sink.isEmpty()) {
            return response;
        }
        HttpResponse buffered = response.buffer();
        sink.get().etags = subResponseEtags(buffered.getBodyAsBinaryData().toString());
        return buffered;
    }

    private static Optional<Sink> sink(HttpPipelineCallContext context) {
        return context.getData(SINK_KEY).filter(Sink.class::isInstance).map(Sink.class::cast);
    }

    /**
     * The ETag header of each successful sub-response of a multipart batch answer, in order; an empty
     * list when any sub-response failed or has none, so that the caller never takes a wrong ETag.
     */
    static List<String> subResponseEtags(String body) {
        List<String> etags = new ArrayList<>();
        String[] lines = body.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("HTTP/1.1 ")) {
                continue;
            }
            if (lines[i].length() < 10 || lines[i].charAt(9) != '2') {
                return List.of();
            }
            String etag = null;
            for (int h = i + 1; h < lines.length && !lines[h].isEmpty(); h++) {
                int colon = lines[h].indexOf(':');
                if (colon > 0
                        && lines[h].substring(0, colon)
                                .trim()
                                .toLowerCase(Locale.ROOT)
                                .equals("etag")) {
                    etag = lines[h].substring(colon + 1).trim();
                }
            }
            if (etag == null || etag.isEmpty()) {
                return List.of();
            }
            etags.add(etag);
        }
        return etags;
    }
}
