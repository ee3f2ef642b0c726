package com.databox.cmk.sdkhttp;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An answer that forwards to another; a subclass changes what it needs. Every body method reads through
 * {@link #body()}; the rest of {@link HttpResponse}'s body methods ({@code buffer}, {@code writeBodyTo}, the
 * input stream) are built on these, so they see this answer's headers and body.
 */
public abstract class ForwardingHttpResponse extends HttpResponse {
    private final HttpResponse response;

    protected ForwardingHttpResponse(HttpResponse response) {
        super(response.getRequest());
        this.response = response;
    }

    /** The answer the body is read from. */
    protected HttpResponse body() {
        return response;
    }

    @Override
    public int getStatusCode() {
        return response.getStatusCode();
    }

    @Override
    @Deprecated
    public String getHeaderValue(String name) {
        return getHeaders().getValue(HttpHeaderName.fromString(name));
    }

    @Override
    public String getHeaderValue(HttpHeaderName name) {
        return getHeaders().getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
        return response.getHeaders();
    }

    @Override
    public Flux<ByteBuffer> getBody() {
        return body().getBody();
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
        return body().getBodyAsByteArray();
    }

    @Override
    public Mono<String> getBodyAsString() {
        return body().getBodyAsString();
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
        return body().getBodyAsString(charset);
    }

    @Override
    public BinaryData getBodyAsBinaryData() {
        return body().getBodyAsBinaryData();
    }

    @Override
    public void close() {
        response.close();
    }
}
