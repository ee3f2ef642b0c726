package com.databox.cmk.api;

import java.net.URI;
import java.util.Optional;

/**
 * The public base of the request being answered, as the platform in front of the app names it: never the
 * request's {@code Host}, which is the caller's to choose. On AWS Lambda, API Gateway's domain and stage
 * (lambda/GatewayRequestBase); the Functions host names none per request. {@link PublicUrls} asks for it only when
 * {@code cmk.public-base-url} is not set.
 */
public interface RequestPublicBase {
    /** Empty outside a request, or where the platform did not name one. */
    Optional<URI> current();
}
