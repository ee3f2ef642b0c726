package com.databox.cmk.sdkhttp;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebsocketVersion;
import io.vertx.core.net.SSLOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A Vert.x HTTP client whose requests give their connection up when their answer does not come.
 *
 * <p>azure-core-http-vertx 1.1.4 times a call's response out with {@code Future.timeout}, which fails
 * the call and leaves its request running: the connection stays lent to a request nobody waits for,
 * until its idle timeout closes it (a pooled connection's keep-alive plus the response timeout, 38 s
 * for storage, {@link SdkHttpClients}). A host that stopped answering so took the pool's connections
 * (five to a host) one try after another, and the calls after them waited for a connection before
 * their own timeout even started: 28.5 s for a call of two 2 s tries ({@code StorageOutageTest}), a
 * {@code PUT} 53.6 s on the local stack. Here every request is reset once no data has come for its
 * response timeout, which on HTTP/1.1 closes its connection and frees its place in the pool, and the
 * wait for a connection is bounded by the connect timeout. Everything else goes to the client as it is.
 */
final class ResetOnTimeoutVertxClient implements HttpClient {
    private final HttpClient delegate;
    private final long idleMillis;
    private final long connectionWaitMillis;

    ResetOnTimeoutVertxClient(HttpClient delegate, Duration responseTimeout, Duration connectionWait) {
        this.delegate = delegate;
        this.idleMillis = responseTimeout.toMillis();
        this.connectionWaitMillis = connectionWait.toMillis();
    }

    /** {@code options} with this client's timeouts where it sets none of its own. */
    RequestOptions bounded(RequestOptions options) {
        if (options.getIdleTimeout() <= 0 && idleMillis > 0) {
            options.setIdleTimeout(idleMillis);
        }
        if (options.getConnectTimeout() <= 0 && connectionWaitMillis > 0) {
            options.setConnectTimeout(connectionWaitMillis);
        }
        return options;
    }

    @Override
    public Future<HttpClientRequest> request(RequestOptions options) {
        return delegate.request(bounded(options));
    }

    @Override
    public void request(RequestOptions options, Handler<AsyncResult<HttpClientRequest>> handler) {
        delegate.request(bounded(options), handler);
    }

    @Override
    public void request(
            HttpMethod method, int port, String host, String uri, Handler<AsyncResult<HttpClientRequest>> handler) {
        request(
                new RequestOptions()
                        .setMethod(method)
                        .setPort(port)
                        .setHost(host)
                        .setURI(uri),
                handler);
    }

    @Override
    public void request(HttpMethod method, String host, String uri, Handler<AsyncResult<HttpClientRequest>> handler) {
        request(new RequestOptions().setMethod(method).setHost(host).setURI(uri), handler);
    }

    @Override
    public void request(HttpMethod method, String uri, Handler<AsyncResult<HttpClientRequest>> handler) {
        request(new RequestOptions().setMethod(method).setURI(uri), handler);
    }

    @Override
    public void webSocket(int port, String host, String uri, Handler<AsyncResult<WebSocket>> handler) {
        delegate.webSocket(port, host, uri, handler);
    }

    @Override
    public Future<WebSocket> webSocket(int port, String host, String uri) {
        return delegate.webSocket(port, host, uri);
    }

    @Override
    public void webSocket(String host, String uri, Handler<AsyncResult<WebSocket>> handler) {
        delegate.webSocket(host, uri, handler);
    }

    @Override
    public Future<WebSocket> webSocket(String host, String uri) {
        return delegate.webSocket(host, uri);
    }

    @Override
    public void webSocket(String uri, Handler<AsyncResult<WebSocket>> handler) {
        delegate.webSocket(uri, handler);
    }

    @Override
    public Future<WebSocket> webSocket(String uri) {
        return delegate.webSocket(uri);
    }

    @Override
    public void webSocket(WebSocketConnectOptions options, Handler<AsyncResult<WebSocket>> handler) {
        delegate.webSocket(options, handler);
    }

    @Override
    public Future<WebSocket> webSocket(WebSocketConnectOptions options) {
        return delegate.webSocket(options);
    }

    @Override
    public void webSocketAbs(
            String url,
            MultiMap headers,
            WebsocketVersion version,
            List<String> subProtocols,
            Handler<AsyncResult<WebSocket>> handler) {
        delegate.webSocketAbs(url, headers, version, subProtocols, handler);
    }

    @Override
    public Future<WebSocket> webSocketAbs(
            String url, MultiMap headers, WebsocketVersion version, List<String> subProtocols) {
        return delegate.webSocketAbs(url, headers, version, subProtocols);
    }

    @Override
    public Future<Boolean> updateSSLOptions(SSLOptions options, boolean force) {
        return delegate.updateSSLOptions(options, force);
    }

    @Override
    public HttpClient connectionHandler(Handler<HttpConnection> handler) {
        delegate.connectionHandler(handler);
        return this;
    }

    @Override
    public HttpClient redirectHandler(Function<HttpClientResponse, Future<RequestOptions>> handler) {
        delegate.redirectHandler(handler);
        return this;
    }

    @Override
    public Function<HttpClientResponse, Future<RequestOptions>> redirectHandler() {
        return delegate.redirectHandler();
    }

    @Override
    public void close(Handler<AsyncResult<Void>> handler) {
        delegate.close(handler);
    }

    @Override
    public Future<Void> close() {
        return delegate.close();
    }

    @Override
    public boolean isMetricsEnabled() {
        return delegate.isMetricsEnabled();
    }
}
