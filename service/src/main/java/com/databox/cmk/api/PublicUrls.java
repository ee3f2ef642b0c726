package com.databox.cmk.api;

import com.databox.cmk.app.CmkConfig;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;

/**
 * Absolute URLs the service hands out ({@code Location}, {@code nextLink}, ARM's operation URLs),
 * from configuration only: the request's {@code Host} header is the caller's to choose (issue 12).
 */
@ApplicationScoped
public class PublicUrls {
    static final String LISTENER = "listener";
    private static final String LOCAL_RUN = "http://127.0.0.1:7071";

    private final String base;
    private final Optional<String> armBase;
    private final Instance<HttpServer> server;

    @Inject
    public PublicUrls(CmkConfig config, Instance<HttpServer> server) {
        this.base = withSlash(publicBase(config.publicBaseUrl(), config.platformHostName()));
        this.armBase = config.armPublicBaseUrl().map(PublicUrls::withSlash);
        this.server = server;
    }

    /** {@code relative}: a path below the base without a leading slash, with its query already encoded. */
    public URI absolute(String relative) {
        return URI.create(base + relative);
    }

    /** As {@link #absolute}, below the address of the Microsoft.DataBox/jobs surface. */
    public URI arm(String relative) {
        String armRoot = armBase.orElse(base);
        if (armRoot.equals(LISTENER + "/")) {
            armRoot = withSlash(server.get().getLocalBaseUri().toString());
        }
        return URI.create(armRoot + relative);
    }

    /**
     * The setting; else the platform's own host name, so that a function app deployed without the setting
     * hands out its own address and not the local run's (bug bash of 2026-12-06, Logic Apps F2: a Logic App
     * polled {@code http://127.0.0.1:7071} for an audit's report); else the local run's.
     */
    static String publicBase(Optional<URI> configured, Optional<String> platformHostName) {
        return configured
                .map(URI::toString)
                .or(() -> platformHostName.map(host -> "https://" + host))
                .orElse(LOCAL_RUN);
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
