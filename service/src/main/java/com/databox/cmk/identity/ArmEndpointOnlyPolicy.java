package com.databox.cmk.identity;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import java.net.URI;
import java.net.URL;
import java.util.Locale;

/** Refuses, before a token is attached, any request that is not for the configured ARM endpoint. */
final class ArmEndpointOnlyPolicy extends HttpPipelineSyncPolicy {
    private final String origin;

    ArmEndpointOnlyPolicy(URI endpoint) {
        this.origin = origin(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort());
    }

    @Override
    protected void beforeSendingRequest(HttpPipelineCallContext context) {
        URL url = context.getHttpRequest().getUrl();
        if (!origin.equals(origin(url.getProtocol(), url.getHost(), url.getPort()))) {
            throw new IllegalStateException("Refused a request to " + url.getProtocol() + "://" + url.getHost()
                    + ": only the configured Azure Resource Manager endpoint " + origin + " may be called");
        }
    }

    private static String origin(String scheme, String host, int port) {
        int effectivePort = port == -1 ? 443 : port;
        return scheme.toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT) + ":" + effectivePort;
    }
}
