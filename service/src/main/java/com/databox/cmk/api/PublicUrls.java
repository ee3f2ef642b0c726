package com.databox.cmk.api;

import com.databox.cmk.app.CmkConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;

/**
 * Absolute URLs the service hands out ({@code Location}, {@code nextLink}), from the configured
 * public base URL only: the request's {@code Host} header is the caller's to choose (issue 12).
 */
@ApplicationScoped
public class PublicUrls {
    private final String base;

    @Inject
    public PublicUrls(CmkConfig config) {
        String configured = config.publicBaseUrl().toString();
        this.base = configured.endsWith("/") ? configured : configured + "/";
    }

    /** {@code relative}: a path below the base without a leading slash, with its query already encoded. */
    public URI absolute(String relative) {
        return URI.create(base + relative);
    }
}
