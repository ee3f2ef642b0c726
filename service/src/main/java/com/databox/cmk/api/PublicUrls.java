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

    private final String base;
    private final Optional<String> armBase;
    private final Instance<HttpServer> server;

    @Inject
    public PublicUrls(CmkConfig config, Instance<HttpServer> server) {
        this.base = withSlash(config.publicBaseUrl().toString());
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

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
