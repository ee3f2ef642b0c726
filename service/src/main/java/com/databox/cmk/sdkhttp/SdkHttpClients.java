package com.databox.cmk.sdkhttp;

import com.azure.core.http.HttpClient;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.core.util.Configuration;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyType;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Azure SDK HTTP clients on the application's own Vert.x instance.
 *
 * <p>Vert.x counts a client's read and write timeouts as idle timeouts of the connection, from its
 * last read, across the requests sent on it and the time it waits in the pool, and closes the
 * connection when one comes due while a request waits on it. With the idle timeouts at the call's
 * timeout (as the SDK's builder sets them) and the pool keeping connections 60 s, a call sent on a
 * pooled connection was closed under it by the client itself, after the server had acted on it
 * ({@code HttpClosedException: Connection was closed}): a queue's messages received then were lost
 * to the service until their visibility ran out, a write was sent twice. So a connection leaves the
 * pool after {@link #KEEP_ALIVE} idle, and the idle timeouts are longer than the most a pooled
 * connection can have idled plus the response timeout: a call's wait is bounded by its response
 * timeout, never by how long its connection was idle before it ({@code SdkHttpClientsTest}).
 *
 * <p>The Vert.x instance of every client built here leaves out the SDK's second failure of a call
 * that timed out ({@link RepeatedPromiseFailures}), which Quarkus would log as an error.
 */
@RegisterForReflection(classNames = SdkHttpClients.SDK_CLIENT_CLASS)
public final class SdkHttpClients {
    private static final Logger LOG = Logger.getLogger(SdkHttpClients.class);

    static final String SDK_CLIENT_CLASS = "com.azure.core.http.vertx.VertxHttpClient";

    /** How long opening a connection may take at most (azure-core's default). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the wait for a connection keeps beyond the connect timeout: a connection being opened fails as
     * the connect timeout says (a refused or unanswered connection, which Key Vault's errors tell apart from
     * a call that got no answer), and only a wait for a busy pool's connection fails on this bound.
     */
    static final Duration CONNECTION_WAIT_MARGIN = Duration.ofSeconds(1);

    /**
     * Calls waiting for a connection to one host, at most (Vert.x's default is no bound): one more is refused
     * at once ({@code ConnectionPoolTooBusyException}), which its caller answers as the host's outage (503 with
     * {@code Retry-After}, {@link #gotNoAnswer}). Each waiter is also bounded in time (the connect timeout and
     * {@link #CONNECTION_WAIT_MARGIN}); this bounds how many, under a burst of requests beyond what the
     * instance's five connections to a host serve within that time.
     */
    static final int MAX_CONNECTION_WAITERS = 256;

    /** How long a connection waits in the pool for its next call before it is closed (half of Vert.x's 60 s). */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    /**
     * What an idle timeout keeps beyond a pooled connection's keep-alive and its call's response
     * timeout: the pool closes expired connections once per cleaner period only (so a connection can be
     * lent up to that long after its keep-alive), and an event loop's timers may run late under load.
     */
    private static final Duration IDLE_MARGIN =
            Duration.ofMillis(HttpClientOptions.DEFAULT_POOL_CLEANER_PERIOD).plusSeconds(2);

    /** The longest response headers taken (as azure-core-http-vertx sets it). */
    static final int MAX_HEADER_SIZE = 256 * 1024;

    /** What azure-core waits for a response by default (the identity endpoint's calls, as before). */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The constructor of azure-core-http-vertx's client around a Vert.x client given to it: its builder
     * makes the Vert.x client itself and offers no way to give one, and the constructor is
     * package-private. Looked up when this class loads, so that a version of the library without it
     * fails the start (and {@code SdkHttpClientsTest}), not a call.
     */
    private static final Constructor<? extends HttpClient> SDK_CLIENT = sdkClientConstructor();

    private SdkHttpClients() {}

    /**
     * A client that trusts only {@code trustedCertificate} when one is given (the local
     * emulator's, in the local profile), and the JVM's defaults otherwise; nothing global changes.
     * A response closed unread is read to its end ({@link DrainingHttpClient}). Opening a
     * connection takes at most {@link #CONNECT_TIMEOUT}, or {@code responseTimeout} when shorter:
     * no host keeps a call waiting longer than one attempt may take.
     */
    public static HttpClient create(Vertx vertx, Optional<Path> trustedCertificate, Duration responseTimeout) {
        return create(vertx, trustedCertificate, responseTimeout, Configuration.getGlobalConfiguration());
    }

    static HttpClient create(
            Vertx vertx, Optional<Path> trustedCertificate, Duration responseTimeout, Configuration configuration) {
        Duration connectTimeout = responseTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? responseTimeout : CONNECT_TIMEOUT;
        if (trustedCertificate.isPresent()) {
            // The emulator's trust is the local stack's, where no proxy is wanted.
            HttpClientOptions options = options(connectTimeout, responseTimeout, KEEP_ALIVE)
                    .setTrustOptions(new PemTrustOptions()
                            .addCertPath(trustedCertificate.get().toString()));
            return new DrainingHttpClient(build(vertx, options, responseTimeout));
        }
        // Elsewhere the environment's proxy is taken, as the SDK's builder takes it, for https calls only.
        return new DrainingHttpClient(proxiedOverHttps(vertx, configuration, connectTimeout, responseTimeout));
    }

    /**
     * A client for the platform's managed-identity endpoint ({@code IDENTITY_ENDPOINT}, IMDS): never through a proxy.
     * The endpoint is plain HTTP on this machine (loopback, or link-local {@code 169.254.169.254}) and the call
     * carries the platform's secret {@code X-IDENTITY-HEADER}; the token services' client took the environment's
     * HTTPS proxy, which then saw the secret and every identity's token in clear, and whose answer was taken as the
     * token (bug bash sx1 B2). Its calls wait for an answer as azure-core does ({@link #DEFAULT_RESPONSE_TIMEOUT}).
     */
    public static HttpClient forIdentityEndpoint(Vertx vertx) {
        return new DrainingHttpClient(
                build(vertx, options(CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, KEEP_ALIVE), DEFAULT_RESPONSE_TIMEOUT));
    }

    /**
     * A client for Table and Queue Storage: neither opening a connection nor an answer's response waits
     * longer than {@code timeout}.
     */
    public static HttpClient forStorage(Vertx vertx, Duration timeout) {
        return proxiedOverHttps(vertx, Configuration.getGlobalConfiguration(), timeout, timeout);
    }

    /**
     * A client whose {@code https:} calls take the proxy of {@code configuration} ({@link #proxyOf}) and whose
     * {@code http:} calls go directly, as the JVM's {@code https.proxyHost} applies to {@code https:} URLs only:
     * a Vert.x client's proxy carries every call it sends, plain HTTP included (bug bash sx1 B2).
     */
    private static HttpClient proxiedOverHttps(
            Vertx vertx, Configuration configuration, Duration connectTimeout, Duration responseTimeout) {
        HttpClientOptions proxied = proxyOf(configuration, options(connectTimeout, responseTimeout, KEEP_ALIVE));
        HttpClient direct = build(vertx, options(connectTimeout, responseTimeout, KEEP_ALIVE), responseTimeout);
        return proxied.getProxyOptions() == null
                ? direct
                : new HttpsOnlyProxy(build(vertx, proxied, responseTimeout), direct, NonProxyHosts.of(configuration));
    }

    /**
     * The options the SDK's builder would make, with the pool's keep-alive, and idle timeouts that no
     * connection reaches while it waits in the pool or for an answer within {@code responseTimeout}.
     */
    static HttpClientOptions options(Duration connectTimeout, Duration responseTimeout, Duration keepAlive) {
        int idleMillis = (int) keepAlive.plus(responseTimeout).plus(IDLE_MARGIN).toMillis();
        return new HttpClientOptions()
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setKeepAliveTimeout((int) keepAlive.toSeconds())
                .setReadIdleTimeout(idleMillis)
                .setWriteIdleTimeout(idleMillis)
                .setMaxWaitQueueSize(MAX_CONNECTION_WAITERS)
                .setMaxHeaderSize(MAX_HEADER_SIZE);
    }

    /**
     * Whether {@code failure} (an SDK call's, after its retries) means the host gave no answer: no connection,
     * a timeout, or no place left among the calls waiting for a connection ({@link #MAX_CONNECTION_WAITERS}).
     */
    public static boolean gotNoAnswer(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException
                    || cause instanceof TimeoutException
                    || cause instanceof ConnectionPoolTooBusyException
                    // Netty's and Reactor's timeouts are neither of the JDK's types.
                    || cause.getClass().getName().toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    /**
     * azure-core-http-vertx's client on a Vert.x client of {@code options} whose requests give their
     * connection up when no answer comes within {@code responseTimeout}, and wait for a connection (from
     * the pool, or opened) no longer than the options' connect timeout and {@link #CONNECTION_WAIT_MARGIN}
     * ({@link ResetOnTimeoutVertxClient}).
     */
    static HttpClient build(Vertx vertx, HttpClientOptions options, Duration responseTimeout) {
        RepeatedPromiseFailures.installOn(vertx);
        io.vertx.core.http.HttpClient pooled = vertx.httpClientBuilder()
                .with(options)
                .with(options.getPoolOptions())
                .withConnectHandler(connection -> connection.exceptionHandler(SdkHttpClients::connectionFailed))
                .build();
        io.vertx.core.http.HttpClient client = new ResetOnTimeoutVertxClient(
                pooled,
                responseTimeout,
                Duration.ofMillis(options.getConnectTimeout()).plus(CONNECTION_WAIT_MARGIN));
        try {
            return SDK_CLIENT.newInstance(client, options, responseTimeout);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("azure-core-http-vertx's client could not be made", e);
        }
    }

    /**
     * A failure of the connection itself, such as a reset of one the pool holds idle (Azurite's queue service did
     * under load): a request on it fails on its own and is retried or answered as such, and the pool opens another.
     * Without a handler Vert.x logged each at ERROR, with no request to tell which (load run of 2026-12-06, bb93 F5).
     */
    private static void connectionFailed(Throwable failure) {
        LOG.debugf("A connection of the SDK clients failed: %s", failure.toString());
    }

    private static Constructor<? extends HttpClient> sdkClientConstructor() {
        try {
            Constructor<? extends HttpClient> constructor = Class.forName(
                            SDK_CLIENT_CLASS, false, VertxHttpClientBuilder.class.getClassLoader())
                    .asSubclass(HttpClient.class)
                    .getDeclaredConstructor(
                            io.vertx.core.http.HttpClient.class, HttpClientOptions.class, Duration.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(SDK_CLIENT_CLASS + "(HttpClient, HttpClientOptions, Duration) is gone", e);
        }
    }

    /**
     * The proxy of {@code configuration} set on {@code options}, as the SDK's builder takes it: the JVM's
     * {@code https.proxyHost} and {@code http.nonProxyHosts}, or, with {@code java.net.useSystemProxies},
     * {@code HTTPS_PROXY}. Its exceptions are {@link NonProxyHosts}', kept by {@link HttpsOnlyProxy}.
     */
    static HttpClientOptions proxyOf(Configuration configuration, HttpClientOptions options) {
        ProxyOptions proxy = ProxyOptions.fromConfiguration(configuration, true);
        if (proxy == null || proxy.getAddress() == null) {
            return options;
        }
        InetSocketAddress address = proxy.getAddress();
        io.vertx.core.net.ProxyOptions vertxProxy = new io.vertx.core.net.ProxyOptions()
                .setHost(address.getHostString())
                .setPort(address.getPort())
                .setType(
                        proxy.getType() == null
                                ? ProxyType.HTTP
                                : ProxyType.valueOf(proxy.getType().name()));
        if (proxy.getUsername() != null && proxy.getPassword() != null) {
            vertxProxy.setUsername(proxy.getUsername()).setPassword(proxy.getPassword());
        }
        return options.setProxyOptions(vertxProxy);
    }
}
