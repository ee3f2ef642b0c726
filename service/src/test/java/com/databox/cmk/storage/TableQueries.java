package com.databox.cmk.storage;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.net.ConnectException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Watches the queries ({@code $filter}) a table client sends: each filter as sent, the rows their answers held, and,
 * when asked, storage going away after a number of them. Point reads and writes pass untouched.
 */
final class TableQueries implements HttpPipelinePolicy {
    private static final Pattern ROW = Pattern.compile("\"RowKey\"\\s*:");

    private final List<String> filters = new CopyOnWriteArrayList<>();
    private final AtomicInteger rowsRead = new AtomicInteger();
    private final AtomicInteger answeredBeforeOutage = new AtomicInteger(Integer.MAX_VALUE);

    /** Each query's {@code $filter}, decoded, in the order sent. */
    List<String> filters() {
        return filters;
    }

    int rowsRead() {
        return rowsRead.get();
    }

    void clear() {
        filters.clear();
        rowsRead.set(0);
    }

    /** The next {@code answered} queries are served; every one after them fails to connect. */
    void outageAfter(int answered) {
        answeredBeforeOutage.set(answered);
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        String query = context.getHttpRequest().getUrl().getQuery();
        if (query == null || !query.contains("$filter=")) {
            return next.process();
        }
        if (answeredBeforeOutage.getAndDecrement() <= 0) {
            return Mono.error(new ConnectException("storage gone"));
        }
        filters.add(URLDecoder.decode(
                query.substring(query.indexOf("$filter=") + 8).split("&")[0], StandardCharsets.UTF_8));
        return next.process().map(HttpResponse::buffer).map(response -> {
            Matcher rows = ROW.matcher(response.getBodyAsString().block());
            while (rows.find()) {
                rowsRead.incrementAndGet();
            }
            return response;
        });
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }
}
