package com.databox.cmk.sdkhttp;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * Reads a response closed unread to its end instead of letting azure-core-http-vertx close it.
 *
 * <p>azure-core-http-vertx 1.1.4 closes a response whose body was never read with
 * {@code HttpClientResponse.netSocket().close()}. On an HTTP/1.1 connection of Vert.x 4.5 that is
 * no socket close: {@code HttpNetSocket.close()} ends its write stream, which is the request's
 * stream, so the request, ended long before, is ended a second time. Called off the event loop,
 * the end is queued to it, and {@code Http1xClientConnection.endRequest} then pops the
 * connection's queue of requests being written: empty ({@code NoSuchElementException}, logged by
 * Netty), or holding the next request sent on that connection, whose own end then finds it empty.
 * Key Vault's challenge policy closes the unread 401 of a client's first call to a vault as soon
 * as the token arrives (on the token's thread), then sends the call again. Reading the body to
 * its end is what HTTP/1.1 keep-alive needs anyway; the connection goes back to the pool.
 */
final class DrainingHttpClient implements HttpClient {
    private final HttpClient delegate;

    DrainingHttpClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return delegate.send(request, context).map(DrainedOnClose::new);
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        return new DrainedOnClose(delegate.sendSync(request, context));
    }

    /** The response as it is; only closing it unread differs. */
    static final class DrainedOnClose extends ForwardingHttpResponse {
        private final AtomicBoolean bodyTaken = new AtomicBoolean();

        DrainedOnClose(HttpResponse response) {
            super(response);
        }

        @Override
        protected HttpResponse body() {
            bodyTaken.set(true);
            return super.body();
        }

        /**
         * Unread: read to the end and dropped (Key Vault's and ARM's bodies are small). Read, or
         * being read: the delegate's close, which does nothing once the body has ended.
         */
        @Override
        public void close() {
            if (bodyTaken.compareAndSet(false, true)) {
                super.body().getBody().subscribe(ignored -> {}, ignored -> {});
            } else {
                super.close();
            }
        }
    }
}
