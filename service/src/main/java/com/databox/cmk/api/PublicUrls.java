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
 * from configuration only: the request's {@code Host} header is the caller's to choose (issue 12).
 */
@ApplicationScoped
public class PublicUrls {
    public static final String LISTENER = "listener";
    private static final String LOCAL_RUN = "http://127.0.0.1:7071";

    private final String base;
    private final Optional<String> armBase;
    private final Supplier<URI> listener;

    @Inject
    public PublicUrls(CmkConfig config, Instance<HttpServer> server) {
        this(
                config.publicBaseUrl(),
                config.platformHostName(),
                config.armPublicBaseUrl(),
                () -> server.get().getLocalBaseUri());
    }

    PublicUrls(
            Optional<URI> configured,
            Optional<String> platformHostName,
            Optional<String> armConfigured,
            Supplier<URI> listener) {
        this.base = withSlash(publicBase(configured, platformHostName));
        this.armBase = armConfigured.map(PublicUrls::withSlash);
        this.listener = listener;
    }

    /** {@code relative}: a path below the base without a leading slash, with its query already encoded. */
    public URI absolute(String relative) {
        return URI.create(resolved(base) + relative);
    }

    /** As {@link #absolute}, below the address of the Microsoft.DataBox/jobs surface. */
    public URI arm(String relative) {
        return URI.create(resolved(armBase.orElse(base)) + relative);
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
