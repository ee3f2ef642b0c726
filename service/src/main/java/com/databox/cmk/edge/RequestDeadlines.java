package com.databox.cmk.edge;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;

/**
 * The deadline by which the Key Vault and Resource Manager calls of the request being served must be done, stamped on the
 * request when its headers arrive ({@link EdgeFilter}). Read through the request context, which
 * follows the request onto the worker thread that runs it; outside a request there is none.
 */
public final class RequestDeadlines {
    static final String KEY = "cmk.keyvault-deadline";

    private RequestDeadlines() {}

    public static Optional<Instant> current() {
        ArcContainer container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return Optional.empty();
        }
        RoutingContext request =
                container.instance(CurrentVertxRequest.class).get().getCurrent();
        return request == null ? Optional.empty() : Optional.ofNullable(request.get(KEY));
    }
}
