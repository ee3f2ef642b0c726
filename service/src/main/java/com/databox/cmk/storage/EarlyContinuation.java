package com.databox.cmk.storage;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.Context;
import java.util.Optional;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * Where the next page of a query starts, told from the page's response headers, before the Tables SDK
 * parses the page's body: most of the work of reading a page of 1,000 orders is that parsing, so the
 * audit queues the next page's shard meanwhile and Table Storage reads that page while this one is
 * parsed (issue 16). The continuation is made the way the SDK (12.5.9, {@code EntityPaged}) makes the
 * one it hands back with the page; {@code EarlyContinuationTest} holds the two equal. The policy acts
 * only on a call whose {@link Context} carries a listener ({@link #context}); it tells it at most once,
 * and only of a successful answer.
 */
public final class EarlyContinuation implements HttpPipelinePolicy {
    private static final String LISTENER_KEY = "databox-cmk-early-continuation";
    private static final HttpHeaderName NEXT_PARTITION_KEY =
            HttpHeaderName.fromString("x-ms-continuation-NextPartitionKey");
    private static final HttpHeaderName NEXT_ROW_KEY = HttpHeaderName.fromString("x-ms-continuation-NextRowKey");

    /** Tells its consumer once: a retried page's later answers carry the same continuation. */
    static final class Listener {
        private final Consumer<String> nextPage;
        private boolean told;

        Listener(Consumer<String> nextPage) {
            this.nextPage = nextPage;
        }

        synchronized void tell(String continuation) {
            if (!told) {
                told = true;
                nextPage.accept(continuation);
            }
        }
    }

    static Context context(Listener listener) {
        return new Context(LISTENER_KEY, listener);
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        Optional<Listener> listener = listener(context);
        if (listener.isEmpty()) {
            return next.process();
        }
        return next.process().map(response -> told(listener.get(), response));
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        Optional<Listener> listener = listener(context);
        HttpResponse response = next.processSync();
        return listener.isEmpty() ? response : told(listener.get(), response);
    }

    private static HttpResponse told(Listener listener, HttpResponse response) {
        if (response.getStatusCode() == 200) {
            listener.tell(continuation(response.getHeaders()));
        }
        return response;
    }

    private static Optional<Listener> listener(HttpPipelineCallContext context) {
        return context.getData(LISTENER_KEY).filter(Listener.class::isInstance).map(Listener.class::cast);
    }

    /** Null on the last page; the next partition key alone, or it and the next row key joined by ';'. */
    static String continuation(HttpHeaders headers) {
        String partitionKey = headers.getValue(NEXT_PARTITION_KEY);
        if (partitionKey == null) {
            return null;
        }
        String rowKey = headers.getValue(NEXT_ROW_KEY);
        return rowKey == null ? partitionKey : partitionKey + ";" + rowKey;
    }
}
