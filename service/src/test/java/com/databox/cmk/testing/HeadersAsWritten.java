package com.databox.cmk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Requests through {@code java.net.http}, which sends headers as the test writes them (several lines of one
 * header, odd spacing), with a token holding every role unless the test writes its own.
 */
public final class HeadersAsWritten {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BEARER = RawHttp.bearer();

    private final URL app;

    public HeadersAsWritten(URL app) {
        this.app = app;
    }

    public static String bearer() {
        return BEARER;
    }

    /** A request with no header yet. */
    public HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(app.toString()).resolve(path));
    }

    public HttpRequest.Builder request(String path) {
        return anonymous(path).header("Authorization", BEARER);
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
