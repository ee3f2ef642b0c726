package com.databox.cmk.identity;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/** Passes requests on and remembers the URL of every one that reached the wire. */
final class RecordingHttpClient implements HttpClient {
    private final HttpClient next;
    private final List<URL> urls = new CopyOnWriteArrayList<>();

    RecordingHttpClient(HttpClient next) {
        this.next = next;
    }

    List<URL> urls() {
        return List.copyOf(urls);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        urls.add(request.getUrl());
        return next.send(request);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        urls.add(request.getUrl());
        return next.send(request, context);
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        urls.add(request.getUrl());
        return next.sendSync(request, context);
    }
}
