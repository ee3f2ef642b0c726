package com.databox.cmk.api;

import com.databox.cmk.app.CmkConfig;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Absolute URLs the service hands out ({@code Location}, {@code nextLink}, ARM's operation URLs),
 * from configuration, or from what the platform in front of the app says of the request ({@link RequestPublicBase}),
 * never from the request's {@code Host} header, which is the caller's to choose (issue 12).
 */
@ApplicationScoped
public class PublicUrls {
    public static final String LISTENER = "listener";
    private static final String LOCAL_RUN = "http://127.0.0.1:7071";

    private final Optional<String> configured;
    private final String platformBase;
    private final Optional<String> armBase;
    private final Supplier<URI> listener;
    private final Supplier<Optional<URI>> requestBase;

    @Inject
    public PublicUrls(CmkConfig config, Instance<HttpServer> server, Instance<RequestPublicBase> requestBase) {
        this(
                config.publicBaseUrl(),
                config.platformHostName(),
                config.armPublicBaseUrl(),
                () -> server.get().getLocalBaseUri(),
                () -> requestBase.isResolvable() ? requestBase.get().current() : Optional.empty());
    }

    PublicUrls(
            Optional<URI> configured,
            Optional<String> platformHostName,
            Optional<String> armConfigured,
            Supplier<URI> listener,
            Supplier<Optional<URI>> requestBase) {
        this.configured = configured.map(URI::toString).map(PublicUrls::withSlash);
        this.platformBase = withSlash(publicBase(Optional.empty(), platformHostName));
        this.armBase = armConfigured.map(PublicUrls::withSlash);
        this.listener = listener;
        this.requestBase = requestBase;
    }

    /** {@code relative}: a path below the base without a leading slash, with its query already encoded. */
    public URI absolute(String relative) {
        return URI.create(resolved(base()) + relative);
    }

    /** As {@link #absolute}, below the address of the Microsoft.DataBox/jobs surface. */
    public URI arm(String relative) {
        return URI.create(resolved(armBase.orElseGet(this::base)) + relative);
    }

    /**
     * The setting; else the request's base as the platform names it (on Lambda, API Gateway's domain: bug bash
     * lp1 F1, every {@code Location} named the local run's address until an operator set the stack's
     * PublicBaseUrl); else as {@link #publicBase}.
     */
    private String base() {
        return configured
                .or(() -> requestBase.get().map(URI::toString).map(PublicUrls::withSlash))
                .orElse(platformBase);
    }

    /**
     * {@code listener}: the address this process listens on, as the local profile's default (the README's run
     * command, or the app started on another port; bug bash of 2026-12-06, bb92 H3: without the setting, every
     * {@code Location} named port 7071 whatever the app listened on).
     */
    private String resolved(String root) {
        return root.equals(LISTENER + "/") ? withSlash(listener.get().toString()) : root;
    }

    /**
     * The setting; else the platform's own host name, so that a function app deployed without the setting
     * hands out its own address and not the local run's (bug bash of 2026-12-06, Logic Apps F2: a Logic App
     * polled {@code http://127.0.0.1:7071} for an audit's report); else the local run's.
     */
    public static String publicBase(Optional<URI> configured, Optional<String> platformHostName) {
        return configured
                .map(URI::toString)
                .or(() -> platformHostName.map(host -> "https://" + host))
                .orElse(LOCAL_RUN);
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
